import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { buildCustomerTable, cellText, detectRoles, segment, defaultSettings, getModel } from '../src/engine';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
it('peek', async () => {
  const wb = PackageWorkbook.open(readFileSync('assets/sample-customers.xlsx'));
  const s = await wb.readTable();
  const headers = s.headers.map((h) => cellText(h).trim());
  const table = buildCustomerTable(s.headers, s.rows, { origin: s.origin, mapping: detectRoles(headers) });
  const t0 = performance.now();
  const seg = segment(table, [{ id: 'clusters', settings: defaultSettings(getModel('clusters')) }]);
  console.log('ms', performance.now() - t0);
  const r = seg.results[0];
  for (const n of r.notes) console.log(n.en);
  for (const n of r.notes) console.log(n.da);
  for (const t of r.tables!) { console.log(t.title.en); for (const row of t.rows) console.log(row.map((c) => typeof c === 'number' ? c : c.en).join(' | ')); }
  console.log(r.explain(0).en); console.log(r.explain(0).da); console.log(r.explain(2100).en);
});
