import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The project's public data sets, beside the repository in ../shared/data (never copied in). */
export const SHARED_DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data');

export interface RetailCustomer {
  id: string;
  country: string;
  revenue: number;
}

/**
 * UCI Online Retail summed per customer: net revenue (quantity × unit price, cancellations
 * included as the negative lines they are), for the lines that carry a CustomerID.
 */
export function onlineRetailCustomers(): RetailCustomer[] {
  const text = gunzipSync(readFileSync(path.join(SHARED_DATA, 'retail', 'online_retail.csv.gz'))).toString('utf8');
  const lines = text.split(/\r?\n/);
  const header = parseCsvLine(lines[0]);
  const at = (name: string) => header.indexOf(name);
  const [quantity, price, customer, country] = [at('Quantity'), at('UnitPrice'), at('CustomerID'), at('Country')];
  const byId = new Map<string, RetailCustomer>();
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const fields = parseCsvLine(lines[i]);
    const id = fields[customer]?.replace(/\.0$/, '');
    if (!id) continue;
    const entry = byId.get(id) ?? { id, country: fields[country], revenue: 0 };
    entry.revenue += Number(fields[quantity]) * Number(fields[price]);
    byId.set(id, entry);
  }
  return [...byId.values()].map((entry) => ({ ...entry, revenue: Math.round(entry.revenue * 100) / 100 }));
}

/** A CSV line with quoted fields (descriptions hold commas). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') { fields.push(field); field = ''; }
    else field += char;
  }
  fields.push(field);
  return fields;
}
