import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NODE_CODEC } from '../src/cli/node-codec';
import { escapeXml } from '../src/workbook/xlsx/cell-xml';
import { ZipArchive } from '../src/workbook/xlsx/zip';
import { PORTABLE_CODEC, updateCrc, zipToBytes, ZipWriter, type ZipCodec } from '../src/workbook/xlsx/zip-write';

/** Sheet-like text of about `bytes` bytes, varied enough that deflate's window matters. */
function sheetText(rows: number): string[] {
  return Array.from({ length: rows }, (_, row) => `<row r="${row + 1}"><c r="A${row + 1}" t="inlineStr"><is><t>Kunde ${row * 7919 % 100_003} ApS ÆØÅ</t></is></c></row>`);
}

function archiveOf(codec: ZipCodec, parts: { name: string; content: string | Iterable<string> }[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const writer = new ZipWriter((chunk) => chunks.push(chunk), codec);
  for (const part of parts) writer.add(part.name, part.content);
  writer.finish();
  return Buffer.concat(chunks);
}

describe('zip writer codecs', () => {
  const rows = sheetText(60_000);
  const whole = rows.join('');

  it.each([['portable (fflate)', PORTABLE_CODEC], ['Node zlib, in blocks', NODE_CODEC]] as const)('%s: a streamed part and a whole part read back exactly, CRC and sizes in the directory', (_, codec) => {
    const bytes = archiveOf(codec, [{ name: 'xl/worksheets/sheet1.xml', content: rows }, { name: 'xl/workbook.xml', content: '<workbook/>' }]);
    const archive = new ZipArchive(bytes);
    const sheet = archive.get('xl/worksheets/sheet1.xml')!;
    expect(archive.text(sheet, 2 ** 30)).toBe(whole);
    expect(sheet.size).toBe(Buffer.byteLength(whole));
    expect(sheet.crc32).toBe(updateCrc(0, Buffer.from(whole)));
    // A streamed part has its CRC and sizes after the data (general purpose bit 3), the whole part before it.
    expect(sheet.flags & 0x8).toBe(0x8);
    expect(archive.get('xl/workbook.xml')!.flags & 0x8).toBe(0);
    expect(archive.text(archive.get('xl/workbook.xml')!)).toBe('<workbook/>');
    // The data descriptor follows the compressed data: signature, CRC, compressed size, size.
    const after = archive.dataOffset(sheet) + sheet.compressedSize;
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect([view.getUint32(after, true), view.getUint32(after + 4, true), view.getUint32(after + 8, true), view.getUint32(after + 12, true)])
      .toEqual([0x08074b50, sheet.crc32, sheet.compressedSize, sheet.size]);
  });

  it('Node zlib blocks form one raw-deflate stream that any inflater reads', () => {
    const bytes = archiveOf(NODE_CODEC, [{ name: 'a.xml', content: rows }]);
    const archive = new ZipArchive(bytes);
    expect(inflateRawSync(archive.compressed(archive.get('a.xml')!)).toString('utf8')).toBe(whole);
  });

  it('Node zlib checksums as the table CRC does, across pieces', () => {
    const a = Buffer.from('Kunde 1 ApS'), b = Buffer.from('Søren');
    expect(NODE_CODEC.crc32(NODE_CODEC.crc32(0, a), b)).toBe(updateCrc(updateCrc(0, a), b));
    expect(updateCrc(0, Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('an empty streamed part is still a valid entry', () => {
    const archive = new ZipArchive(zipToBytes((writer) => writer.add('empty.xml', [])));
    expect(archive.read(archive.get('empty.xml')!).length).toBe(0);
  });
});

describe('escapeXml', () => {
  it('escapes markup and drops what XML cannot carry, keeping surrogate pairs', () => {
    expect(escapeXml('IF(D7>=SK_Cut,"A","B")')).toBe('IF(D7&gt;=SK_Cut,&quot;A&quot;,&quot;B&quot;)');
    expect(escapeXml('a & b < c')).toBe('a &amp; b &lt; c');
    expect(escapeXml('&lt;')).toBe('&amp;lt;');
    expect(escapeXml('Kunde ApS')).toBe('Kunde ApS');
    expect(escapeXml('bell\u0007 tab\t nul\u0000')).toBe('bell tab\t nul');
    expect(escapeXml('😀 & lone \uD800 end \uDC00')).toBe('😀 &amp; lone  end ');
    expect(escapeXml('\uFFFE\uFFFF"')).toBe('&quot;');
  });
});
