import { escapeXml } from './cell-xml';
import { RELATIONSHIPS_NAMESPACES, locateElements, prefixOf, splice, type ElementSpan } from './xml';

/** A sheet SegmentKit adds to the workbook part. */
export interface AddedSheet {
  name: string;
  relationshipId: string;
  state?: 'hidden' | 'veryHidden';
}

/** A workbook-level defined name SegmentKit owns (a cut cell: SK_ABCD_RevenueCut → 'Summary'!$D$13). */
export interface DefinedName {
  name: string;
  ref: string;
}

export interface WorkbookEdit {
  addSheets: AddedSheet[];
  /** Relationship ids of SegmentKit's sheets that are no longer wanted. */
  removeSheets: ReadonlySet<string>;
  /** Names SegmentKit wrote before (removed first) and the names it writes now. */
  removeNames: ReadonlySet<string>;
  addNames: DefinedName[];
}

/** Elements after definedNames in CT_Workbook (ECMA-376 Part 1, 18.2.27), where a new definedNames must go before. */
const AFTER_DEFINED_NAMES = ['calcPr', 'oleSize', 'customWorkbookViews', 'pivotCaches', 'smartTagPr', 'smartTagTypes', 'webPublishing', 'fileRecoveryPr', 'webPublishObjects', 'extLst'];
const LOCATED = new Set(['sheets', 'sheet', 'definedNames', 'definedName', 'calcPr', ...AFTER_DEFINED_NAMES]);

/** The prefix the part binds to the relationships namespace, or a declaration to add on the new element. */
function relationshipsPrefix(root: ElementSpan): { prefix: string; declare: string } {
  for (const [attribute, value] of Object.entries(root.attributes)) {
    if (attribute.startsWith('xmlns:') && RELATIONSHIPS_NAMESPACES.has(value)) return { prefix: attribute.slice(6), declare: '' };
  }
  return { prefix: 'r', declare: ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"' };
}

/**
 * Applies SegmentKit's changes to the workbook part and nothing else: its sheets appended to
 * `<sheets>` (so every sheet index the user's names and views use stays valid), its old sheets
 * removed (with the sheet-scoped names and indexes after them shifted down), its defined names
 * replaced, and `fullCalcOnLoad` set so that any program recalculates the live columns on opening.
 * Every other character stays as the producer wrote it, prefixes included.
 */
export function patchWorkbookXml(text: string, edit: WorkbookEdit): string {
  const spans = locateElements('workbook', text, LOCATED);
  const root = spans[0];
  const sheetsSpan = spans.find((span) => span.local === 'sheets' && span.depth === 1);
  if (!sheetsSpan) throw new Error('The workbook part has no <sheets> element.');
  const p = prefixOf(root.name);
  const rels = relationshipsPrefix(root);
  const edits: { start: number; end: number; insert: string }[] = [];

  const sheets = spans.filter((span) => span.local === 'sheet' && span.depth === 2);
  const removedIndexes: number[] = [];
  let maxSheetId = 0;
  sheets.forEach((sheet, index) => {
    maxSheetId = Math.max(maxSheetId, Number(sheet.attributes.sheetId) || 0);
    const id = Object.entries(sheet.attributes).find(([name]) => name.endsWith(':id'))?.[1];
    if (id && edit.removeSheets.has(id)) {
      removedIndexes.push(index);
      edits.push({ start: sheet.start, end: sheet.end, insert: '' });
    }
  });
  const added = edit.addSheets.map((sheet) => {
    const state = sheet.state ? ` state="${sheet.state}"` : '';
    return `<${p}sheet name="${escapeXml(sheet.name)}" sheetId="${++maxSheetId}"${state} ${rels.prefix}:id="${escapeXml(sheet.relationshipId)}"${rels.declare}/>`;
  }).join('');
  if (added) {
    if (sheetsSpan.startTagEnd === sheetsSpan.end) {
      edits.push({ start: sheetsSpan.start, end: sheetsSpan.end, insert: `<${sheetsSpan.name}>${added}</${sheetsSpan.name}>` });
    } else edits.push({ start: sheetsSpan.innerEnd, end: sheetsSpan.innerEnd, insert: added });
  }

  edits.push(...definedNameEdits(text, spans, edit, removedIndexes, p));
  edits.push(...calcOnLoadEdits(spans, root, p));
  return splice(text, edits);
}

/** A sheet-scoped name's sheet index after some sheets are removed; null when its sheet is gone. */
function shiftedSheetIndex(index: number, removed: readonly number[]): number | null {
  if (removed.includes(index)) return null;
  return index - removed.filter((gone) => gone < index).length;
}

function definedNameEdits(text: string, spans: ElementSpan[], edit: WorkbookEdit, removedIndexes: number[], p: string) {
  const edits: { start: number; end: number; insert: string }[] = [];
  const container = spans.find((span) => span.local === 'definedNames' && span.depth === 1);
  const names = spans.filter((span) => span.local === 'definedName' && span.depth === 2);
  let kept = 0;
  for (const name of names) {
    const local = name.attributes.localSheetId;
    const shifted = local === undefined ? Number.NaN : shiftedSheetIndex(Number(local), removedIndexes);
    if (edit.removeNames.has(name.attributes.name) && local === undefined) edits.push({ start: name.start, end: name.end, insert: '' });
    else if (shifted === null) edits.push({ start: name.start, end: name.end, insert: '' });
    else {
      kept++;
      if (!Number.isNaN(shifted) && shifted !== Number(local)) edits.push(attributeEdit(text, name, 'localSheetId', String(shifted)));
    }
  }
  const added = edit.addNames.map((defined) => `<${p}definedName name="${escapeXml(defined.name)}">${escapeXml(defined.ref)}</${p}definedName>`).join('');
  if (container) {
    if (!added && kept === 0) edits.push({ start: container.start, end: container.end, insert: '' });
    else if (container.startTagEnd === container.end) edits.push({ start: container.start, end: container.end, insert: `<${container.name}>${added}</${container.name}>` });
    else edits.push({ start: container.innerEnd, end: container.innerEnd, insert: added });
  } else if (added) {
    const before = spans.find((span) => span.depth === 1 && AFTER_DEFINED_NAMES.includes(span.local));
    const at = before ? before.start : spans[0].innerEnd;
    edits.push({ start: at, end: at, insert: `<${p}definedNames>${added}</${p}definedNames>` });
  }
  return edits.filter((candidate) => candidate.start !== candidate.end || candidate.insert !== '');
}

/** Replaces one attribute's value inside an element's start tag, leaving the rest of the tag as written. */
function attributeEdit(text: string, span: ElementSpan, attribute: string, value: string) {
  const tag = text.slice(span.start, span.startTagEnd);
  const match = new RegExp(`\\s${attribute}\\s*=\\s*(["'])[^"']*\\1`).exec(tag);
  if (!match) throw new Error(`<${span.name}> has no ${attribute}.`);
  const start = span.start + match.index;
  return { start, end: start + match[0].length, insert: ` ${attribute}="${escapeXml(value)}"` };
}

function calcOnLoadEdits(spans: ElementSpan[], root: ElementSpan, p: string) {
  const calc = spans.find((span) => span.local === 'calcPr' && span.depth === 1);
  if (calc) {
    if (calc.attributes.fullCalcOnLoad === '1' || calc.attributes.fullCalcOnLoad === 'true') return [];
    const insertAt = calc.start + 1 + calc.name.length;
    return [{ start: insertAt, end: insertAt, insert: ' fullCalcOnLoad="1"' }];
  }
  const after = ['oleSize', 'customWorkbookViews', 'pivotCaches', 'smartTagPr', 'smartTagTypes', 'webPublishing', 'fileRecoveryPr', 'webPublishObjects', 'extLst'];
  const before = spans.find((span) => span.depth === 1 && after.includes(span.local));
  const at = before ? before.start : root.innerEnd;
  return [{ start: at, end: at, insert: `<${p}calcPr fullCalcOnLoad="1"/>` }];
}

