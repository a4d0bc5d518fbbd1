import { fileURLToPath } from 'node:url';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import { describe, expect, it } from 'vitest';
import { buildCustomerTable, CATALOG, CUTOFF_FUNCTION, defaultSettings, segment, type CellValue, type Language } from '../src/engine';
import { LIFETIME_MODEL_FUNCTIONS } from '../src/functions/lifetime';
import { buildPlan } from '../src/workbook/plan';
import { isBuiltInFunctionName } from '../scripts/excel-function-names.js';
import { checkFunctionNames, completeMetadata, localizeMetadata, readDanishTexts, type FunctionMetadata } from '../scripts/localize-functions.js';

const SOURCE = fileURLToPath(new URL('../src/functions/functions.ts', import.meta.url));

/** functions.json and functions-da.json as the build writes them (scripts/localize-functions.js). */
async function builtMetadata() {
  const generated = await generateCustomFunctionsMetadata(SOURCE);
  expect(generated.errors).toEqual([]);
  const english = completeMetadata(JSON.parse(generated.metadataJson) as FunctionMetadata);
  return { english, danish: localizeMetadata(english, readDanishTexts()) };
}

// A table with every role the function-writing models read, so each of them writes its formulas.
const HEADERS = ['Kunde', 'Omsætning', 'Potentiale', 'Andel af køb', 'Tilfredshed', 'Dækningsbidrag', 'Kunde siden', 'Dage for sent'];
const ROWS: CellValue[][] = [
  ['Alfa', 1200, 5000, 0.24, 4, 300, '2015-02-01', 0], ['Beta', 300, 300, 0.5, 2, -20, '2025-01-15', 30],
  ['Gamma', 850, 900, 0.94, 5, 200, 45000, 5], ['Delta', 40, 2500, 0.016, 3, 10, null, null],
  ['Epsilon', 3100, 3200, 0.97, 1, 900, '2024-06-15', 12],
];

/** Every SEGMENT.* function name in the plans SegmentKit can write with its own functions. */
function namesThePlanWrites(): Set<string> {
  const table = buildCustomerTable(HEADERS, ROWS);
  const segmentation = segment(table, CATALOG.map((model) => ({ id: model.id, settings: defaultSettings(model) })));
  const names = new Set<string>();
  for (const language of ['en', 'da'] as Language[]) {
    for (const spill of [true, false]) {
      const snapshot = { sheetName: 'Kunder', origin: { headerRow: 1, firstColumn: 0 }, headers: HEADERS, rows: ROWS, marker: null, sheetNames: ['Kunder'] };
      const plan = buildPlan(snapshot, segmentation, { mode: 'formulas', formulas: 'segmentkit', language, spill });
      for (const match of JSON.stringify(plan).matchAll(/SEGMENT\.([\p{L}0-9_.]+)\(/gu)) names.add(match[1]);
    }
  }
  return names;
}

describe('custom function names', () => {
  it('defines every function a written formula calls, under the same name in functions.json and functions-da.json', async () => {
    const { english, danish } = await builtMetadata();
    const written = namesThePlanWrites();
    // Not vacuous: the plan writes the models' functions and the cut function.
    expect([...written].sort()).toEqual(['ABCD', 'CUTOFF', 'MARGIN', 'PARETO', 'QUADRANT', 'VALUETIER']);
    for (const metadata of [english, danish]) {
      const names = new Set(metadata.functions.map((fn) => fn.name));
      for (const name of written) expect(names, `SEGMENT.${name}`).toContain(name);
    }
    expect(danish.functions.map((fn) => [fn.id, fn.name])).toEqual(english.functions.map((fn) => [fn.id, fn.name]));
    // The catalog is the one source: each model's functionName (and the cut function, and the lifetime models' fits and predictions) is a function id.
    expect(english.functions.map((fn) => fn.id).sort()).toEqual([...CATALOG.map((model) => model.functionName), CUTOFF_FUNCTION, ...LIFETIME_MODEL_FUNCTIONS].sort());
  });

  it('takes no built-in function\'s name, in English or Danish, nor an Excel 4.0 macro function\'s', async () => {
    const { english, danish } = await builtMetadata();
    for (const fn of [...english.functions, ...danish.functions]) expect(isBuiltInFunctionName(fn.name), fn.name).toBe(false);
    // The list knows the names this rule is about: the old VALUE/VÆRDI and CUT, and a few others.
    for (const name of ['VALUE', 'VÆRDI', 'værdi', 'CUT', 'RUN', 'XLOOKUP', 'LOPSLAG', 'SUM.HVIS']) expect(isBuiltInFunctionName(name), name).toBe(true);
  });

  it('makes the build fail on a built-in name, a name other than the id, or a Danish function name', async () => {
    const { english } = await builtMetadata();
    const renamed = (id: string, name: string) => ({ ...english, functions: english.functions.map((fn) => (fn.id === 'VALUETIER' ? { ...fn, id, name } : fn)) });
    expect(() => checkFunctionNames(renamed('VALUE', 'VALUE'))).toThrow('Custom function names: VALUE is the name of a built-in Excel function.');
    expect(() => checkFunctionNames(renamed('VALUETIER', 'VÆRDI')))
      .toThrow('Custom function names: VALUETIER is named "VÆRDI"; give every function its id as its name.');
    const texts = readDanishTexts();
    const translatedName = { ...texts, CUTOFF: { ...texts.CUTOFF, name: 'SKÆRING' } };
    expect(() => localizeMetadata(english, translatedName)).toThrow('Function names are not translated (formulas use one name in every language): remove "name" for CUTOFF');
  });
});

describe('data-type flags in the built metadata', () => {
  it('lets errors and data types reach every range parameter, in both files', async () => {
    const { english, danish } = await builtMetadata();
    for (const metadata of [english, danish]) {
      expect(metadata.allowErrorForDataTypeAny).toBe(true);
      expect(metadata.allowCustomDataForDataTypeAny).toBe(true);
      // The flags apply to parameters of type any: every range parameter must be one.
      const ranges = metadata.functions.flatMap((fn) => (fn.parameters ?? []).filter((p) => p.dimensionality === 'matrix').map((p) => `${fn.id}.${p.name}:${String(p.type)}`));
      expect(ranges.length).toBe(44);
      for (const range of ranges) expect(range).toMatch(/:any$/);
    }
  });

  it('sets the flags whatever the generator wrote', () => {
    const generated = { allowCustomDataForDataTypeAny: false, functions: [{ id: 'ABCD', name: 'ABCD', parameters: [] }] };
    expect(completeMetadata(generated)).toEqual({ allowErrorForDataTypeAny: true, allowCustomDataForDataTypeAny: true, functions: generated.functions });
  });
});
