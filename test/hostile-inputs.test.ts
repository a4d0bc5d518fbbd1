/**
 * The hostile inputs (test/support/hostile.ts) are what they claim to be, checked with readers
 * that are not SegmentKit's: fflate and node:zlib for zip and DEFLATE, SheetJS's CFB and xlsx
 * readers for compound files and packages. These pass without the .xlsx reader; the reader's
 * own tests are xlsx-read-hostile.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInflateRaw } from 'node:zlib';
import { inflateSync, strFromU8, unzipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import {
  EXTERNAL_LINK_PARTS,
  EXTERNAL_REFERENCE_CELL,
  crc32,
  csvRenamedAsXlsx,
  deflateRepeatingLastByte,
  encryptedWorkbook,
  entityAttackWorkbook,
  inflationBombWorkbook,
  legacyXls,
  minimalWorkbook,
  traversalNamesWorkbook,
  traversalTargets,
  truncatedZip,
  withExternalLinkAndConnections,
} from './support/hostile';

const PRODUCERS = join(__dirname, 'fixtures', 'producers');
const fixture = (name: string) => new Uint8Array(readFileSync(join(PRODUCERS, name)));

/** Bytes a zip's first local header declares: method, CRC, compressed and uncompressed size. */
function firstLocalHeader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { signature: view.getUint32(0, true), method: view.getUint16(8, true), crc: view.getUint32(14, true), compressed: view.getUint32(18, true), declared: view.getUint32(22, true) };
}

/** The local header of the entry named `name`, found by walking the local headers in order. */
function localHeaderOf(bytes: Uint8Array, name: string) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (view.getUint32(at, true) === 0x04034b50) {
    const nameLength = view.getUint16(at + 26, true);
    const entryName = strFromU8(bytes.subarray(at + 30, at + 30 + nameLength));
    const header = firstLocalHeader(bytes.subarray(at));
    if (entryName === name) return header;
    at += 30 + nameLength + view.getUint16(at + 28, true) + header.compressed;
  }
  throw new Error(`no local header for ${name}`);
}

/** Streams a raw DEFLATE body through zlib, counting bytes and keeping the first and last ones. */
function inflatedSize(deflated: Uint8Array): Promise<{ total: number; head: string; tail: string }> {
  return new Promise((resolve, reject) => {
    let total = 0;
    let head = '';
    let tail = '';
    const inflater = createInflateRaw({ chunkSize: 1 << 20 });
    inflater.on('data', (chunk: Buffer) => {
      if (total === 0) head = chunk.subarray(0, 300).toString('utf8');
      total += chunk.length;
      tail = (tail + chunk.subarray(Math.max(0, chunk.length - 60)).toString('utf8')).slice(-60);
    });
    inflater.on('end', () => resolve({ total, head, tail }));
    inflater.on('error', reject);
    inflater.end(deflated);
  });
}

describe('zip and DEFLATE building blocks', () => {
  it('crc32 gives the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('a fixed-Huffman body of distance-1 matches inflates to the prefix, the repeats and the suffix', () => {
    const body = deflateRepeatingLastByte(new TextEncoder().encode('<t>xA'), 1000, new TextEncoder().encode('</t>ø'));
    const inflated = strFromU8(inflateSync(body));
    expect(inflated).toBe(`<t>x${'A'.repeat(1 + 1000 * 258)}</t>ø`);
  });

  it('the minimal workbook is a package SheetJS reads', () => {
    const book = XLSX.read(minimalWorkbook(), { type: 'array' });
    expect(book.SheetNames).toEqual(['Kunder']);
    expect(XLSX.utils.sheet_to_json(book.Sheets.Kunder, { header: 1 })).toEqual([['Kundenr', 'Omsætning'], ['K1', 500]]);
  });
});

describe('inflation bombs', () => {
  for (const part of ['sheet', 'sharedStrings'] as const) {
    it(`the ${part} bomb is built fast, is ~9 MB, declares 1 MiB and really inflates to ~1.5 GB of XML`, async () => {
      const started = performance.now();
      const bomb = inflationBombWorkbook({ part });
      const buildMs = performance.now() - started;
      expect(buildMs).toBeLessThan(2_000);
      expect(bomb.bytes.length).toBeLessThan(10_000_000);
      expect(bomb.inflatedBytes).toBeGreaterThan(1_499_999_000);
      expect(localHeaderOf(bomb.bytes, bomb.partName).declared).toBe(1 << 20);
      expect(Object.keys(unzipSync(bomb.bytes, { filter: (file) => file.name !== bomb.partName }))).toContain('xl/workbook.xml');
      const inflated = await inflatedSize(bomb.deflated);
      expect(inflated.total).toBe(bomb.inflatedBytes);
      expect(inflated.head).toContain(part === 'sheet' ? '<worksheet' : '<sst');
      expect(inflated.tail).toMatch(part === 'sheet' ? /AAAA<\/t><\/is><\/c><\/row><\/sheetData><\/worksheet>$/ : /AAAA<\/t><\/si><\/sst>$/);
    });
  }

  it('can declare its true size instead', () => {
    const bomb = inflationBombWorkbook({ part: 'sheet', inflatedBytes: 1_000_000, declaredBytes: 1_000_000 });
    expect(localHeaderOf(bomb.bytes, bomb.partName).declared).toBe(1_000_000);
    expect(inflateSync(bomb.deflated).length).toBe(bomb.inflatedBytes);
  });
});

describe('compound files (CFB)', () => {
  it('the encrypted workbook is a compound file with EncryptionInfo (agile 4.4) and EncryptedPackage', () => {
    const bytes = encryptedWorkbook();
    expect([...bytes.subarray(0, 8)]).toEqual([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const container = XLSX.CFB.read(bytes, { type: 'array' });
    const info = XLSX.CFB.find(container, 'EncryptionInfo');
    const encrypted = XLSX.CFB.find(container, 'EncryptedPackage');
    expect(info).toBeTruthy();
    expect(encrypted).toBeTruthy();
    const content = new Uint8Array(info.content);
    expect([content[0], content[2]]).toEqual([4, 4]);
    expect(strFromU8(content.subarray(8))).toContain('<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"');
    expect(encrypted.content.length).toBe(8 + 2048);
  });

  it('the legacy .xls is a compound file whose Workbook stream starts with a BIFF8 BOF', () => {
    const container = XLSX.CFB.read(legacyXls(), { type: 'array' });
    const workbook = new Uint8Array(XLSX.CFB.find(container, 'Workbook').content);
    expect([...workbook.subarray(0, 6)]).toEqual([0x09, 0x08, 0x10, 0x00, 0x00, 0x06]);
  });
});

describe('broken and disguised files', () => {
  it('the renamed CSV is text, not a zip', () => {
    const bytes = csvRenamedAsXlsx();
    expect(strFromU8(bytes.subarray(0, 8))).toBe('Kundenr;');
  });

  it('the truncated zip starts as a zip and has no end of central directory', () => {
    const bytes = truncatedZip(fixture('xlsxwriter.xlsx'));
    expect(firstLocalHeader(bytes).signature).toBe(0x04034b50);
    const text = Buffer.from(bytes);
    expect(text.includes(Buffer.from([0x50, 0x4b, 0x05, 0x06]))).toBe(false);
    expect(() => unzipSync(bytes)).toThrow();
  });
});

describe('XML entity tricks', () => {
  const base = fixture('xlsxwriter.xlsx');
  for (const attack of ['billionLaughs', 'externalEntity'] as const) {
    for (const part of ['workbook', 'sheet'] as const) {
      it(`${attack} in the ${part} part: a DOCTYPE declares it and the part uses it`, () => {
        const parts = unzipSync(entityAttackWorkbook(base, part, attack));
        const xml = strFromU8(parts[part === 'workbook' ? 'xl/workbook.xml' : 'xl/worksheets/sheet2.xml']);
        expect(xml).toMatch(part === 'workbook' ? /<!DOCTYPE workbook \[/ : /<!DOCTYPE worksheet \[/);
        expect(xml).toContain(attack === 'billionLaughs' ? '<!ENTITY lol9 "&lol8;' : 'SYSTEM "file:///etc/passwd"');
        expect(xml).toContain(attack === 'billionLaughs' ? '>&lol9;<' : '>&xxe;<');
        expect(xml.indexOf('<!DOCTYPE')).toBeLessThan(xml.indexOf(part === 'workbook' ? '<workbook ' : '<worksheet '));
      });
    }
  }
});

describe('zip entry names out of the folder', () => {
  it('keeps the workbook and adds a ../ entry and an absolute one', () => {
    const targets = traversalTargets('check');
    const names = Object.keys(unzipSync(traversalNamesWorkbook(fixture('xlsxwriter.xlsx'), 'check')));
    expect(names).toContain('xl/workbook.xml');
    expect(names).toContain(targets.relative);
    expect(names).toContain(targets.absolute);
    expect(targets.relative.startsWith('../')).toBe(true);
    expect(targets.absolute.startsWith('/')).toBe(true);
  });
});

describe('external link, connections and VBA', () => {
  const bytes = withExternalLinkAndConnections(fixture('xlsxwriter-macros.xlsm'));
  const parts = unzipSync(bytes);

  it('adds the parts with content types and relationships, and keeps the VBA project', () => {
    expect(Object.keys(parts)).toEqual(expect.arrayContaining([...Object.values(EXTERNAL_LINK_PARTS), 'xl/vbaProject.bin']));
    const types = strFromU8(parts['[Content_Types].xml']);
    expect(types).toContain('<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>');
    expect(types).toContain('<Override PartName="/xl/connections.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml"/>');
    expect(types).toContain('application/vnd.ms-excel.sheet.macroEnabled.main+xml');
    const rels = strFromU8(parts['xl/_rels/workbook.xml.rels']);
    expect(rels).toContain('Target="externalLinks/externalLink1.xml"');
    expect(rels).toContain('Target="connections.xml"');
    expect(rels).toContain('relationships/vbaProject');
    expect(strFromU8(parts['xl/workbook.xml'])).toMatch(/<\/sheets><externalReferences><externalReference r:id="rIdSkExternal1"\/><\/externalReferences>/);
  });

  it('is a workbook SheetJS reads, with the external formula and its cached value', () => {
    const book = XLSX.read(bytes, { type: 'array', cellFormula: true });
    expect(book.SheetNames).toEqual(['Noter', 'Kunder']);
    const cell = book.Sheets.Noter[EXTERNAL_REFERENCE_CELL.address];
    expect(cell.f).toBe(EXTERNAL_REFERENCE_CELL.formula);
    expect(cell.v).toBe(EXTERNAL_REFERENCE_CELL.cachedValue);
    expect(book.Sheets.Kunder.B2.v).toBe('Ærø Møbler A/S');
  });
});
