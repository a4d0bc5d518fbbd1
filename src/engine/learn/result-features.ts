import type { ModelResult, RunContext } from '../model';
import type { CustomerTable } from '../table';
import type { CellValue } from '../types';
import { joinedHeaders, type JoinedColumns } from './join';

/**
 * The per-customer numbers of the purchase-history models that a learning model may take as
 * features when they ran in the same run: RFM's scores and days since the last order, and CLV's
 * P(alive), expected purchases, expected spend and CLV. Only models the user chose count (a model
 * run just to feed another would be a surprise), and only number metrics.
 */
const RESULT_FEATURES: readonly { modelId: string; keys: readonly string[] }[] = [
  { modelId: 'rfm', keys: ['rfm.r', 'rfm.f', 'rfm.m', 'rfm.recencyDays'] },
  { modelId: 'clv', keys: ['clv.pAlive', 'clv.purchases', 'clv.spend', 'clv.value'] },
];

/** The chosen purchase-history results' metrics as columns, header "RFM: R score" / "CLV: P(alive)". */
function resultColumns(context: RunContext | undefined): { headers: string[]; columns: CellValue[][] } {
  const headers: string[] = [];
  const columns: CellValue[][] = [];
  for (const { modelId, keys } of RESULT_FEATURES) {
    if (!context?.chosen.includes(modelId)) continue;
    const result: ModelResult | undefined = context.resultOf(modelId);
    for (const metric of result?.metrics ?? []) {
      if (!keys.includes(metric.key) || metric.format === 'text') continue;
      headers.push(`${modelId.toUpperCase()}: ${metric.label.en}`);
      columns.push(Array.from(metric.values, (value) => (Number.isNaN(value) ? null : value)));
    }
  }
  return { headers, columns };
}

/**
 * The columns a learning model reads beside the table's own: the joined table's (CustomerTable.joined,
 * --join), then the chosen rfm and clv results' numbers (see RESULT_FEATURES). Undefined when
 * there are neither. The table is not changed.
 */
export function joinedWithResults(table: CustomerTable, context: RunContext | undefined): JoinedColumns | undefined {
  const results = resultColumns(context);
  const joined = table.joined;
  if (results.headers.length === 0) return joined;
  // A result header that clashes with a column, as findHeader compares them, is prefixed as a joined one would be.
  const { headers } = joinedHeaders([...table.headers, ...(joined?.headers ?? [])], results.headers, 'SegmentKit');
  if (!joined) {
    return {
      name: 'SegmentKit', key: '', otherKey: '', headers, originalHeaders: [...results.headers], columns: results.columns,
      matchedRow: Int32Array.from({ length: table.rowCount }, (_, i) => i), matched: table.rowCount, unmatched: 0, blankKeys: 0, duplicates: [], notes: [],
    };
  }
  return {
    ...joined,
    headers: [...joined.headers, ...headers],
    originalHeaders: [...joined.originalHeaders, ...results.headers],
    columns: [...joined.columns, ...results.columns],
  };
}
