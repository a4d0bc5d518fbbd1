import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The project's public data sets, beside the repository in ../shared/data (never copied in).
 * The environment variable SEGMENTKIT_SHARED_DATA points elsewhere (CI, another checkout, or a
 * path that does not exist, to see the tests skip as they do in a fresh clone).
 */
export const SHARED_DATA = process.env.SEGMENTKIT_SHARED_DATA
  ? path.resolve(process.env.SEGMENTKIT_SHARED_DATA)
  : path.resolve(__dirname, '..', '..', '..', 'shared', 'data');

/** Whether one public data file is present, and the line to print when the tests on it are skipped. */
export interface PublicDataFile {
  path: string;
  present: boolean;
  /** Empty when present; otherwise says what is missing and how to get it. */
  skipReason: string;
}

/**
 * Looks for a public data file (path relative to SHARED_DATA). A fresh clone has no
 * ../shared/data, and its `npm test` must still pass: tests on the file use
 * `it.skipIf(!file.present)`, and the reason is printed once, so the output says plainly what
 * was skipped and why.
 */
export function publicDataFile(relativePath: string): PublicDataFile {
  const file = path.join(SHARED_DATA, relativePath);
  const present = existsSync(file);
  const skipReason = present ? '' : `public data ${file} is missing (set SEGMENTKIT_SHARED_DATA to the folder holding ${relativePath})`;
  if (!present) console.warn(`SKIPPED: tests on ${relativePath}: ${skipReason}.`);
  return { path: file, present, skipReason };
}

/** A test's name with the skip reason appended when its data is missing, so the reporter shows why. */
export function nameWithData(name: string, ...files: PublicDataFile[]): string {
  const missing = files.filter((file) => !file.present);
  return missing.length ? `${name} [skipped: ${missing.map((file) => file.skipReason).join('; ')}]` : name;
}

/** UCI Online Retail (Chen, Sain & Guo 2012), the transaction lines as published, gzipped. */
export const ONLINE_RETAIL = publicDataFile(path.join('retail', 'online_retail.csv.gz'));

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
  const text = gunzipSync(readFileSync(ONLINE_RETAIL.path)).toString('utf8');
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
