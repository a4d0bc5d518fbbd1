import type { Language } from '../engine';

/** What the command line says, in English and Danish; `{name}` marks a value filled in. */
const MESSAGES = {
  unknownLanguage: { en: '--lang takes en or da, not "{value}".', da: '--lang tager en eller da, ikke "{value}".' },
  formulasChoice: {
    en: '--formulas {value}: write excel (ordinary formulas, the default) or segmentkit (=SEGMENT.* functions).',
    da: '--formulas {value}: skriv excel (almindelige formler, standard) eller segmentkit (=SEGMENT.*-funktioner).',
  },
  noInput: { en: 'Name the file to segment: segmentkit segment customers.xlsx', da: 'Angiv filen, der skal segmenteres: segmentkit segment kunder.xlsx' },
  inputMissing: { en: 'There is no file "{file}".', da: 'Filen "{file}" findes ikke.' },
  inputUnreadable: { en: 'Cannot read "{file}": {reason}.', da: 'Kan ikke læse "{file}": {reason}.' },
  unknownModel: { en: 'There is no model "{model}". Known: {known}.', da: 'Der er ingen model "{model}". Kendte: {known}.' },
  mapForm: { en: 'Cannot read --map {text}: write it as role=Header, e.g. --map revenue="Oms. 2025".', da: 'Kan ikke læse --map {text}: skriv den som rolle=Overskrift, fx --map revenue="Oms. 2025".' },
  mapUnknownRole: { en: '--map {text}: there is no role "{role}". Roles: {known}.', da: '--map {text}: der er ingen rolle "{role}". Roller: {known}.' },
  mapUnknownHeader: { en: '--map {text}: the table has no column headed "{header}". Columns: {known}.', da: '--map {text}: tabellen har ingen kolonne med overskriften "{header}". Kolonner: {known}.' },
  modelSkipped: {
    en: '{model} skipped: the table has no column for {roles} (map one with --map {role}=Header).',
    da: '{model} springes over: tabellen har ingen kolonne til {roles} (tilknyt en med --map {role}=Overskrift).',
  },
  modelNeedsColumns: {
    en: '{model} needs a column for {roles}, which the table lacks: map one with --map {role}=Header, or leave the model out of --model.',
    da: '{model} kræver en kolonne til {roles}, som tabellen mangler: tilknyt en med --map {role}=Overskrift, eller udelad modellen fra --model.',
  },
  noModel: {
    en: 'No model can run on this table: it has no column for revenue or the other inputs. Map columns with --map role=Header.',
    da: 'Ingen model kan køre på denne tabel: den har ingen kolonne til omsætning eller de andre input. Tilknyt kolonner med --map rolle=Overskrift.',
  },
  summary: { en: '{file}: {customers} customers on sheet "{sheet}", {problems} problem(s).', da: '{file}: {customers} kunder på arket "{sheet}", {problems} problem(er).' },
  wrote: { en: 'Wrote {file} in {seconds} s.', da: 'Skrev {file} på {seconds} s.' },
  readCsv: { en: 'Read {file} as {encoding} text separated by "{delimiter}".', da: 'Læste {file} som {encoding}-tekst adskilt af "{delimiter}".' },
  sameFile: { en: 'The result would overwrite the input "{file}": choose another file with -o.', da: 'Resultatet ville overskrive inputfilen "{file}": vælg en anden fil med -o.' },
  unexpected: { en: 'SegmentKit stopped: {reason}', da: 'SegmentKit stoppede: {reason}' },
} satisfies Record<string, Record<Language, string>>;

export type MessageId = keyof typeof MESSAGES;

/** A message in the CLI's language with its values filled in. */
export function say(language: Language, id: MessageId, values: Record<string, string | number> = {}): string {
  return MESSAGES[id][language].replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** An error the CLI reports as it is: its message is already the sentence for the user. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
    this.name = 'CliError';
  }
}
