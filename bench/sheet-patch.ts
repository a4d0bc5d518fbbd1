/**
 * Throughput of the table-sheet rewrite on a sheet at Excel's row limit:
 * `npx tsx bench/sheet-patch.ts [rows]` (default 1,048,576).
 *
 * The input part is generated lazily in 64K-character chunks, as an inflate stream would hand it
 * over, so the numbers are the rewrite's own: a header row and rows of six user cells (text from
 * the shared strings, numbers, a shared formula), and SegmentKit writing two columns (a value
 * and a live formula) on every row, with widths and a conditional format. Reported: time to
 * generate the input alone, the priority pre-scan, building SegmentKit's cells alone, the rewrite
 * (generation and cells included), the rewrite's own time and rate, and peak RSS sampled every 16
 * output pieces.
 */
import { cellXml } from '../src/workbook/xlsx/cell-xml';
import { nextConditionalFormatPriority, patchSheet, type SheetEdit } from '../src/workbook/xlsx/sheet-patch';

const ROWS = Number(process.argv[2] ?? 1_048_576);
const CHUNK = 1 << 16;
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
  + `<dimension ref="A1:F${ROWS}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="6" width="14" customWidth="1"/></cols><sheetData>`;
const TAIL = '</sheetData><conditionalFormatting sqref="C2:C10"><cfRule type="cellIs" dxfId="0" priority="1" operator="greaterThan"><formula>1000</formula></cfRule></conditionalFormatting><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';

function userRow(row: number): string {
  if (row === 1) return '<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>';
  const formula = row === 2 ? `<f t="shared" ref="F2:F${ROWS}" si="0">D2-C2</f>` : '<f t="shared" si="0"/>';
  return `<row r="${row}" spans="1:6"><c r="A${row}"><v>${100000 + row}</v></c><c r="B${row}" t="s"><v>${6 + (row % 50)}</v></c><c r="C${row}" s="1"><v>${(row * 7919) % 100000}.25</v></c><c r="D${row}" s="1"><v>${(row * 104729) % 200000}.5</v></c><c r="E${row}" t="s"><v>${60 + (row % 12)}</v></c><c r="F${row}" s="1">${formula}<v>${row}</v></c></row>`;
}

function* sheetChunks(): Generator<string> {
  let pending = HEAD;
  for (let row = 1; row <= ROWS; row++) {
    pending += userRow(row);
    if (pending.length >= CHUNK) { yield pending.slice(0, CHUNK); pending = pending.slice(CHUNK); }
  }
  pending += TAIL;
  for (let at = 0; at < pending.length; at += CHUNK) yield pending.slice(at, at + CHUNK);
}

let peakRss = 0;
function sampleMemory(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

function timed<T>(work: () => T): { seconds: number; result: T } {
  const start = performance.now();
  const result = work();
  return { seconds: (performance.now() - start) / 1000, result };
}

const baselineRss = process.memoryUsage().rss;
const generated = timed(() => { let characters = 0; for (const chunk of sheetChunks()) { characters += chunk.length; sampleMemory(); } return characters; });
const scan = timed(() => nextConditionalFormatPriority(sheetChunks()));
const edit: SheetEdit = {
  clearColumns: new Set(),
  writeColumns: new Set([6, 7]),
  firstRow: 1,
  lastRow: ROWS,
  cellsForRow: (row) => row === 1
    ? cellXml(0, 6, 'Segment ABCD') + cellXml(0, 7, 'Segment Pareto')
    : cellXml(row - 1, 6, 'A') + cellXml(row - 1, 7, 'B', `IF(C${row}>=Summary!$B$2,"A","B")`),
  conditionalFormatting: [`<conditionalFormatting sqref="G2:G${ROWS}"><cfRule type="cellIs" dxfId="0" priority="${scan.result}" operator="equal"><formula>"A"</formula></cfRule></conditionalFormatting>`],
  columnWidths: new Map([[6, 14], [7, 14]]),
};
const cellsAlone = timed(() => { let characters = 0; for (let row = 1; row <= ROWS; row++) characters += edit.cellsForRow(row).length; return characters; });
peakRss = 0;
const patched = timed(() => { let characters = 0; let pieces = 0; for (const piece of patchSheet(sheetChunks(), edit)) { characters += piece.length; if (++pieces % 16 === 0) sampleMemory(); } return characters; });

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
console.log(`rows: ${ROWS.toLocaleString('en-US')}`);
console.log(`input part: ${(generated.result / 1e6).toFixed(1)} M characters, generated alone in ${generated.seconds.toFixed(2)} s`);
console.log(`priority pre-scan (generation included): ${scan.seconds.toFixed(2)} s`);
console.log(`rewrite (generation included): ${patched.seconds.toFixed(2)} s, output ${(patched.result / 1e6).toFixed(1)} M characters`);
const rewriteAlone = patched.seconds - generated.seconds - cellsAlone.seconds;
console.log(`SegmentKit's cells alone (cellXml, the caller's part): ${cellsAlone.seconds.toFixed(2)} s`);
console.log(`rewrite alone (without generation and cellXml): about ${rewriteAlone.toFixed(2)} s, ${(generated.result / 1e6 / rewriteAlone).toFixed(0)} M input characters/s`);
console.log(`RSS: ${mb(baselineRss)} at start, peak during rewrite ${mb(peakRss)}`);
