/**
 * The .xlsx reader on files that are not readable workbooks, or are hostile (issue 7, parts 1
 * and 3): each is refused with an UnreadableWorkbookError of the right kind and one plain
 * sentence in English and Danish; inflation bombs are refused within a few hundred MB; entity
 * tricks are never expanded or followed; zip entry names never become paths; and parts the
 * reader does not understand (external links, connections, VBA) leave the workbook readable.
 *
 * The bombs run first, in a fresh test process, so the process's peak memory is theirs.
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { UnreadableWorkbookError, openWorkbook } from '../src/workbook/xlsx/read';
import {
  EXTERNAL_LINK_PARTS,
  EXTERNAL_REFERENCE_CELL,
  csvRenamedAsXlsx,
  emptyFile,
  encryptedWorkbook,
  entityAttackWorkbook,
  inflationBombWorkbook,
  legacyXls,
  pdfRenamedAsXlsx,
  traversalNamesWorkbook,
  traversalTargets,
  truncatedZip,
  withExternalLinkAndConnections,
  wordDocumentRenamedAsXlsx,
} from './support/hostile';
import { PRODUCERS, expectedCells, fixtureBytes, nonBlankCells, readExpected } from './support/fixture-expectations';

type Kind = UnreadableWorkbookError['kind'];

const MB = 1024 * 1024;
/** How far above its resting size the process may go while refusing a bomb. */
const MEMORY_HEADROOM = 400 * MB;

/** Words that give away a library's or the runtime's own message. */
const LIBRARY_TEXT = /invalid signature|FILE_ENDED|0x[0-9a-f]{4,}|Cannot read propert|undefined|TypeError|RangeError|Invalid string length|unexpected end|saxes|fflate|ENOENT|\bat \S+:\d+:\d+|\n/i;

/** Opens `bytes` and reads every sheet; returns what was thrown, failing if nothing was. */
function refusal(bytes: Uint8Array): unknown {
  try {
    const book = openWorkbook(bytes);
    for (const sheet of book.sheets) book.readSheet(sheet.name);
  } catch (error) {
    return error;
  }
  throw new Error('the reader accepted the file');
}

/** One sentence: no line breaks, ends with a full stop, no second sentence after it. */
function expectOneSentence(sentence: string): void {
  expect(sentence.trim().length).toBeGreaterThan(10);
  expect(sentence).not.toMatch(LIBRARY_TEXT);
  expect(sentence).toMatch(/[.!]$/);
  expect(sentence).not.toMatch(/[.!?]\s+\S/);
}

function expectRefused(bytes: Uint8Array, kind: Kind): UnreadableWorkbookError {
  const error = refusal(bytes);
  expect(error).toBeInstanceOf(UnreadableWorkbookError);
  const refused = error as UnreadableWorkbookError;
  expect(refused.kind).toBe(kind);
  expectOneSentence(refused.text.en);
  expectOneSentence(refused.text.da);
  expect(refused.text.da).not.toBe(refused.text.en);
  expect(refused.message).not.toMatch(LIBRARY_TEXT);
  return refused;
}

const base = () => fixtureBytes(PRODUCERS, 'xlsxwriter.xlsx');

describe('inflation bombs are refused within the memory limit', () => {
  const cases = [
    { part: 'sheet', declared: 'declares 1 MiB' },
    { part: 'sharedStrings', declared: 'declares 1 MiB' },
    { part: 'sheet', declared: 'declares its true size' },
    { part: 'sharedStrings', declared: 'declares its true size' },
  ] as const;

  it.each(cases)('a $part part that inflates to 1.5 GB and $declared', ({ part, declared }) => {
    const bomb = inflationBombWorkbook({ part });
    const bytes = declared === 'declares its true size'
      ? inflationBombWorkbook({ part, declaredBytes: bomb.inflatedBytes }).bytes
      : bomb.bytes;
    const restingRss = process.memoryUsage().rss;
    expectRefused(bytes, 'tooLarge');
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const afterRss = process.memoryUsage().rss;
    const measured = `rss ${Math.round(restingRss / MB)} MB before, peak ${Math.round(peakRss / MB)} MB, ${Math.round(afterRss / MB)} MB after`;
    expect(peakRss - restingRss, measured).toBeLessThan(MEMORY_HEADROOM);
    expect(afterRss - restingRss, measured).toBeLessThan(MEMORY_HEADROOM);
  }, 60_000);
});

describe('files that are not workbooks get one sentence and the right kind', () => {
  it('0 bytes', () => {
    expectRefused(emptyFile(), 'empty');
  });

  it('a CSV renamed to .xlsx', () => {
    expectRefused(csvRenamedAsXlsx(), 'csv');
  });

  it('a PDF renamed to .xlsx', () => {
    expectRefused(pdfRenamedAsXlsx(), 'notZip');
  });

  it('a Word document renamed to .xlsx', () => {
    expectRefused(wordDocumentRenamedAsXlsx(), 'notWorkbook');
  });

  it.each([0.1, 0.5, 0.9])('a zip cut off after %s of its bytes', (fraction) => {
    expectRefused(truncatedZip(base(), fraction), 'truncated');
  });

  it('a password-protected workbook says so and what to do', () => {
    const refused = expectRefused(encryptedWorkbook(), 'encrypted');
    expect(refused.text.en).toMatch(/password/i);
  });

  it('a legacy .xls (Excel 97–2003)', () => {
    expectRefused(legacyXls(), 'legacyXls');
  });
});

describe('XML entity tricks are refused, never expanded or followed', () => {
  for (const attack of ['billionLaughs', 'externalEntity'] as const) {
    for (const part of ['workbook', 'sheet'] as const) {
      it(`${attack} in the ${part} part`, () => {
        const started = performance.now();
        const refused = expectRefused(entityAttackWorkbook(base(), part, attack), 'unsafeXml');
        expect(performance.now() - started).toBeLessThan(5_000);
        // /etc/passwd starts "root:x:0:0:"; nothing of it may surface anywhere.
        expect(`${refused.message} ${refused.text.en} ${refused.text.da}`).not.toMatch(/root:|lollol/);
      });
    }
  }
});

describe('zip entry names are never paths', () => {
  const marker = `${process.pid}-${Date.now()}`;
  const targets = traversalTargets(marker);
  const landing = [resolve(process.cwd(), targets.relative), targets.absolute];
  afterAll(() => {
    for (const path of landing) rmSync(path, { force: true });
  });

  it('a package with ../ and absolute entry names is refused as no valid workbook, and nothing is written', () => {
    expectRefused(traversalNamesWorkbook(base(), marker), 'unsafeName');
    for (const path of landing) expect(existsSync(path), path).toBe(false);
  });
});

describe('external link, connections and VBA: read normally, parts kept in the list', () => {
  const source = 'xlsxwriter-macros.xlsm';
  const expected = readExpected(PRODUCERS)[source];
  const bytes = withExternalLinkAndConnections(fixtureBytes(PRODUCERS, source));

  it('opens with the same sheets and reads the customers cell by cell', () => {
    const book = openWorkbook(bytes);
    expect(book.sheets.map(({ name, state }) => ({ name, state }))).toEqual(expected.sheets);
    expect(nonBlankCells(book.readSheet('Kunder'))).toEqual(expectedCells(expected.cells.Kunder));
  });

  it('gives the external reference its stored value, without following the link', () => {
    const notes = nonBlankCells(openWorkbook(bytes).readSheet('Noter'));
    expect(notes).toEqual({
      ...expectedCells(expected.cells.Noter),
      A3: EXTERNAL_REFERENCE_CELL.label,
      [EXTERNAL_REFERENCE_CELL.address]: EXTERNAL_REFERENCE_CELL.cachedValue,
    });
  });

  it('lists the external link, its rels, connections.xml and vbaProject.bin among the parts, in zip order', () => {
    const partNames = openWorkbook(bytes).partNames;
    expect(partNames).toEqual(Object.keys(unzipSync(bytes)));
    expect(partNames).toEqual(expect.arrayContaining([...Object.values(EXTERNAL_LINK_PARTS), 'xl/vbaProject.bin']));
  });
});
