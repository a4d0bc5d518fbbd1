/**
 * What the end-to-end test expects, from the engine itself: reads an .xlsx file the way the
 * browser version does (a transaction log summarised per customer), runs the chosen models with
 * their defaults and builds the plan, then prints it all as JSON. Run with `node --import tsx
 * test/e2e/expectations.ts <file> <models> [settings JSON] [reasons] [en|da]`, so the browser test itself stays plain JavaScript. The settings JSON
 * holds changes per model over the defaults by path ({"value": {"terms.Gold.discount": 0.1}}),
 * as the test makes them in the pane.
 */
import { readFileSync } from 'node:fs';
import { buildCustomerTable, defaultSettings, formatProblem, getModel, ROLES, segment, summarize, type Language, type ModelSettings } from '../../src/engine';
import { planPrepared, prepareInput } from '../../src/workbook/log-input';
import { PackageWorkbook } from '../../src/workbook/xlsx/package-workbook';

/** Settings with changes given by path: {"terms.Gold.discount": 0.1} changes one field of the terms table. */
function withChanges(settings: ModelSettings, changes: Record<string, unknown>): ModelSettings {
  const changed = structuredClone(settings) as Record<string, unknown>;
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce((node, key) => (node as Record<string, unknown>)[key], changed as unknown) as Record<string, unknown>;
    parent[keys[keys.length - 1]] = value;
  }
  return changed as ModelSettings;
}

async function main(file: string, modelIds: string[], changes: Record<string, Record<string, unknown>>, reasons: boolean, language: Language): Promise<void> {
  // The browser reads the file into memory, so the expectations do too.
  const workbook = PackageWorkbook.open(readFileSync(file));
  const snapshot = await workbook.readTable();
  const read = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  // A transaction log becomes one row per customer as in the pane and the CLI.
  const prepared = prepareInput(snapshot, read.mapping, language);
  const table = prepared.table;
  const segmentation = segment(table, modelIds.map((id) => ({ id, settings: withChanges(defaultSettings(getModel(id)), changes[id] ?? {}) })));
  // The browser version writes ordinary live formulas by default, with the computed values as their results.
  const plan = planPrepared(snapshot, prepared, segmentation, { mode: 'formulas', language, spill: false, reasons });
  const expectations = {
    sheetName: snapshot.sheetName,
    origin: snapshot.origin,
    headers: table.headers,
    rowCount: table.rowCount,
    logLines: prepared.log?.rowCount ?? null,
    logCounts: prepared.logCustomers?.counts ?? null,
    firstCustomer: { id: table.texts.id?.[0] ?? '', name: table.texts.name?.[0] ?? '' },
    roleLabels: Object.fromEntries(table.headers.map((header, column) => {
      const role = ROLES.find((candidate) => table.mapping[candidate.id] === column);
      return [header, role ? role.label : null];
    })),
    problems: table.problems.map((problem) => ({ en: formatProblem(problem, 'en'), da: formatProblem(problem, 'da') })),
    models: segmentation.results.map((result) => {
      const model = getModel(result.modelId);
      return {
        id: model.id,
        columnHeader: model.columnHeader,
        tiers: model.tiers.map((tier) => ({ id: tier.id, fill: tier.fill, font: tier.font })),
        segments: Array.from(result.tiers, (tier) => (tier < 0 ? null : model.tiers[tier].id)),
        firstReason: result.explain(0).en,
        cuts: result.cuts.map((cut) => ({ key: cut.key, label: cut.label, value: cut.value })),
        summary: summarize(table, model, result).map((line) => ({
          tier: line.tierIndex < 0 ? null : model.tiers[line.tierIndex].id,
          customers: line.customers, revenue: line.revenue, revenueShare: line.revenueShare,
        })),
      };
    }),
    columns: plan.columns.map((column) => ({ header: column.header, values: column.values, tierColors: column.tierColors ?? null })),
    sheets: plan.sheets.map((sheet) => ({ purpose: sheet.purpose, name: sheet.name, rows: sheet.rows })),
  };
  process.stdout.write(JSON.stringify(expectations));
}

const [file, models = 'abcd,pareto', changes = '{}', reasons = '', language = 'en'] = process.argv.slice(2);
main(file, models.split(','), JSON.parse(changes) as Record<string, Record<string, unknown>>, reasons === 'reasons', language === 'da' ? 'da' : 'en').catch((error) => {
  console.error(error);
  process.exit(1);
});
