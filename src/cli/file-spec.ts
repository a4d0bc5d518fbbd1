import { existsSync } from 'node:fs';
import type { Language } from '../engine';
import { CliError, say, type MessageId } from './messages';

/** Files read as delimited text, which have no sheets. */
export const DELIMITED = /\.(csv|tsv|tab|txt)$/i;

/**
 * The file and sheet of an option naming a table elsewhere, `FILE` or `FILE:Sheet`
 * (`--transactions`, `--join`): without a sheet, the workbook's first visible one. Excel allows no
 * colon in a sheet name, so only the last colon can split, and it splits only when the whole text
 * names no file and the part before the colon does: `C:\data\orders.xlsx` and a file whose own
 * name holds a colon stay whole. A sheet name may hold spaces (quote the argument); a sheet the
 * workbook lacks is refused with the list of its sheets, when the workbook is opened.
 * @throws CliError (exit 2) with `csvSheet`'s sentence when a sheet is named on a CSV, which has none
 */
export function fileAndSheet(spec: string, language: Language, csvSheet: MessageId): { file: string; sheet?: string } {
  const colon = spec.lastIndexOf(':');
  if (existsSync(spec) || colon <= 0 || !existsSync(spec.slice(0, colon))) return { file: spec };
  const file = spec.slice(0, colon);
  const sheet = spec.slice(colon + 1);
  if (DELIMITED.test(file)) throw new CliError(say(language, csvSheet, { spec, file }), 2);
  return sheet === '' ? { file } : { file, sheet };
}
