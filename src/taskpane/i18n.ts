import { formatNumber as writeNumber, formatProblem, type CutMethod, type Language, type RowProblem } from '../engine';

/** Every string the task pane shows, in English. The Danish dictionary must have the same keys. */
const en = {
  appTitle: 'SegmentKit',
  tagline: 'Customer segmentation for Excel',
  language: 'Language',
  browserMode: 'Browser version: your file stays on this computer.',
  stepData: 'Data',
  stepModels: 'Models',
  stepPreview: 'Preview',
  stepApply: 'Apply',
  steps: 'Steps',
  back: 'Back',
  next: 'Next',

  openTitle: 'Open a customer workbook',
  openIntro: 'Choose a workbook (.xlsx, .xlsm) or a CSV file with one row per customer, or try SegmentKit on the sample workbook of 2,000 Danish B2B customers.',
  chooseFile: 'Choose a file',
  tableNotesTitle: 'How SegmentKit read the table',
  useSample: 'Use the sample workbook',
  openingFile: 'Opening {name}…',
  openFailed: 'Could not open {name}: {message}',
  openOther: 'Open another file',
  sheet: 'Sheet',
  fileLabel: 'File: {name}',

  readTable: 'Read the table around the selection',
  readingTable: 'Reading the table…',
  readFailed: 'Could not read the table: {message}',
  officeIntro: 'Select a cell in your customer table (or the whole table), then read it.',
  tableFound: '{sheet}!{address}: {rows} customers, {columns} columns',
  excelTable: 'Excel table {name}',
  columnsTitle: 'Columns and their roles',
  columnHeader: 'Column',
  roleHeader: 'Role',
  notUsed: 'Not used',
  problemsTitle: 'Rows with problems ({count})',
  problemsIntro: 'These values could not be read. Those rows get no segment from them; everything else goes on.',
  problemsMore: '… and {count} more.',
  noProblems: 'Every value in the mapped columns could be read.',

  modelsTitle: 'Choose models',
  needsColumns: 'Needs a column for: {roles}. Map it on the Data step.',
  cutMethod: 'Method',
  cutLevel: 'Level',
  method_pareto: 'Pareto share',
  method_quantile: 'Quantile',
  method_value: 'Value',
  levelHint_pareto: 'Share of the total, above 0 and at most 1 ({level} = {percent}).',
  levelHint_quantile: 'Quantile, above 0 and at most 1 (0.5 = median).',
  levelHint_value: 'An amount: values at or above it are high.',
  levelHint_valueShare: 'A share of wallet: 0.5 and 50 both mean 50 %; shares at or above it are high.',
  levelHint_valueScore: 'A score from 0 to 100: scores at or above it are high.',
  levelHint_valueScale: 'A value on the column\'s own scale: values at or above it are high.',
  cutNotNumber: 'The cut level must be a number.',
  cutBadMethod: 'Choose a cut method.',
  cutOutOfRange: 'A {method} cut takes a level above 0 and at most 1 (for example 0.8), not {level}.',
  noModelChosen: 'Choose at least one model.',
  modelUnavailable: 'Cannot run: {why}. Map one on the Data step.',
  sharedSetting: 'One value for {models}.',
  choiceNeeded: 'Choose one of the options.',
  numberNeeded: 'Enter a number.',
  numberAtLeast: 'Enter a number of at least {min}.',
  numberAtMost: 'Enter a number of at most {max}.',
  dateNeeded: 'Enter a date, or leave it empty for today.',
  dateEmptyToday: 'Empty: today, whenever the model runs.',
  resetDefaults: 'Reset to defaults',
  problemCount: 'Problems: {count}',
  yes: 'Yes',
  no: 'No',

  termsInvalid: 'Invalid values in the terms table: {count}.',
  termsTiers: 'Tiers',
  termsFor: 'Terms for {tier}',
  unitDays: 'days',
  unitKroner: 'kr.',
  termsMissingTier: 'This tier has no terms.',
  termsBadDiscount: 'A discount from 0 up to (not including) 100 %.',
  termsBadNumber: 'A number, 0 or more.',
  termsBadChoice: 'Choose one of the options.',

  factorsInvalid: 'Problems in the factor tree: {count}.',
  factorsIntro: 'Select a factor or group to edit it. Weights count among siblings; the share is what each gets of the score with this table.',
  factorTree: 'Factor tree',
  weightShareHeader: 'weight · share',
  factorDetails: 'Factor: {name}',
  groupDetails: 'Group: {name}',
  factorName: 'Name',
  factorWeight: 'Weight',
  shareOfScore: 'Share of the score: {share}',
  factorSource: 'Column',
  sourceRoles: 'Mapped columns',
  sourceComputed: 'Computed',
  sourceColumns: 'All columns by header',
  sourceMissing: '{source} (not in this table)',
  sourceNotInTable: 'The table has no such column: this factor is left out.',
  sourceNotNumeric: '{source} (not numbers)',
  sourceNotNumericHint: 'This column holds text, not numbers: no customer would get a score from it. Choose a column of numbers.',
  factorDirection: 'Direction',
  direction_higher: 'Higher is better',
  direction_lower: 'Lower is better',
  factorScale: 'Scale',
  scale_rank: 'Rank',
  scale_minmax: 'Min–max',
  scale_fixed: 'Fixed',
  scaleHint_rank: 'Percentile rank: the customer\'s place among all customers, so a few very large values do not squeeze the rest.',
  scaleHint_minmax: 'Between the lowest and the highest value in the data: one extreme customer moves everyone else.',
  scaleHint_fixed: 'Between the values you give; beyond them a customer counts as the end.',
  scaleMin: 'Scale from',
  scaleMax: 'Scale to',
  scaleFromDataMin: 'lowest in data',
  scaleFromDataMax: 'highest in data',
  addFactor: 'Add factor',
  addGroup: 'Add group',
  nestInGroup: 'Put in a group',
  moveUp: 'Move up',
  moveDown: 'Move down',
  removeFactor: 'Remove',
  newFactorName: 'New factor',
  newGroupName: 'New group',
  factorNeedsName: 'Every factor and group needs a name.',
  factorBadWeight: '{name}: the weight must be a number, 0 or more.',
  factorTooDeep: '{name}: the tree has at most {levels} levels.',
  factorRootLeaf: 'The top of the tree must be a group.',
  factorBadDirection: '{name}: choose whether higher or lower is better.',
  factorUnknownScale: '{name}: choose a scale: rank, min–max or fixed.',
  factorBadScale: '{name}: the scale must be numbers (or empty for the data\'s own range).',
  factorScaleOrder: '{name}: the scale must end above where it starts.',
  livePreview: 'Rating with this tree',
  livePreviewBlocked: 'Fix the problems above to see the rating.',
  topCustomers: 'Best customers',

  previewTitle: 'Preview: nothing has been written yet',
  segment: 'Segment',
  customers: 'Customers',
  revenue: 'Revenue',
  share: 'Share',
  noSegment: 'No segment',
  cutsUsed: 'Cuts used',
  cutLine: '{label}: {method} {level} → {value}',
  modelFailed: '{model}: {message}',
  totalLine: '{customers} customers, revenue {revenue}',
  notesTitle: 'Notes',
  inputsTitle: 'Columns read',
  whyTitle: 'Why this segment?',
  whyPick: 'Customer',
  whyPlaceholder: 'Type a customer name or ID',
  whyNoMatch: 'No customer matches.',
  whyFirstMatches: 'Showing the first {count}: type to narrow down.',
  sheetRow: 'Row {row}',

  applyTitle: 'Write the result',
  writeAs: 'Write the segments as',
  modeFormulas: 'Live Excel formulas: recalculate in any spreadsheet program',
  modeSegmentKit: 'SegmentKit functions: everyone who opens the file needs SegmentKit',
  modeValues: 'Values',
  formulasHint: 'Live formulas compare each row with the cuts on the Summary sheet: change a cut and the segments and colours follow.',
  segmentKitNeedsExcel: 'SegmentKit functions need Excel with SegmentKit installed; the browser version writes Excel formulas or values.',
  applyIntro: 'SegmentKit adds segment columns to the right of the table, colors the tiers, and adds a Priority and a Summary sheet. It never overwrites a cell it did not write.',
  applyButton: 'Apply to the workbook',
  reasonsColumn: 'Add a Reason column per model',
  reasonsHint: 'Next to each segment column: why each customer got its segment, in words.',
  phaseRead: 'Reading the table…',
  cancel: 'Cancel',
  phaseCompute: 'Computing segments…',
  phasePlan: 'Planning what to write…',
  phaseWrite: 'Writing {done} of {total} rows…',
  phaseSave: 'Preparing the file…',
  applied: 'Done.',
  appliedCount: 'SegmentKit wrote {count} ranges; everything else in the workbook is as it was.',
  writtenRanges: 'Ranges written ({count})',
  applyFailed: 'Nothing more was written: {message}',
  download: 'Download {file}',
} as const;

export type MessageKey = keyof typeof en;

const da: Record<MessageKey, string> = {
  appTitle: 'SegmentKit',
  tagline: 'Kundesegmentering i Excel',
  language: 'Sprog',
  browserMode: 'Browserversion: din fil bliver på denne computer.',
  stepData: 'Data',
  stepModels: 'Modeller',
  stepPreview: 'Forhåndsvisning',
  stepApply: 'Anvend',
  steps: 'Trin',
  back: 'Tilbage',
  next: 'Næste',

  openTitle: 'Åbn en projektmappe med kunder',
  openIntro: 'Vælg en projektmappe (.xlsx, .xlsm) eller en CSV-fil med én række pr. kunde, eller prøv SegmentKit på eksempelprojektmappen med 2.000 danske B2B-kunder.',
  chooseFile: 'Vælg en fil',
  tableNotesTitle: 'Sådan læste SegmentKit tabellen',
  useSample: 'Brug eksempelprojektmappen',
  openingFile: 'Åbner {name}…',
  openFailed: 'Kunne ikke åbne {name}: {message}',
  openOther: 'Åbn en anden fil',
  sheet: 'Ark',
  fileLabel: 'Fil: {name}',

  readTable: 'Læs tabellen omkring markeringen',
  readingTable: 'Læser tabellen…',
  readFailed: 'Kunne ikke læse tabellen: {message}',
  officeIntro: 'Markér en celle i kundetabellen (eller hele tabellen), og læs den.',
  tableFound: '{sheet}!{address}: {rows} kunder, {columns} kolonner',
  excelTable: 'Excel-tabel {name}',
  columnsTitle: 'Kolonner og deres roller',
  columnHeader: 'Kolonne',
  roleHeader: 'Rolle',
  notUsed: 'Ikke brugt',
  problemsTitle: 'Rækker med problemer ({count})',
  problemsIntro: 'Disse værdier kunne ikke læses. Rækkerne får intet segment ud fra dem; resten kører videre.',
  problemsMore: '… og {count} mere.',
  noProblems: 'Alle værdier i de tildelte kolonner kunne læses.',

  modelsTitle: 'Vælg modeller',
  needsColumns: 'Kræver en kolonne til: {roles}. Tildel den på trinnet Data.',
  cutMethod: 'Metode',
  cutLevel: 'Niveau',
  method_pareto: 'Pareto-andel',
  method_quantile: 'Kvantil',
  method_value: 'Værdi',
  levelHint_pareto: 'Andel af totalen, over 0 og højst 1 ({level} = {percent}).',
  levelHint_quantile: 'Kvantil, over 0 og højst 1 (0,5 = median).',
  levelHint_value: 'Et beløb: værdier på eller over det er høje.',
  levelHint_valueShare: 'En andel af køb: 0,5 og 50 betyder begge 50 %; andele på eller over den er høje.',
  levelHint_valueScore: 'En score fra 0 til 100: scorer på eller over den er høje.',
  levelHint_valueScale: 'En værdi på kolonnens egen skala: værdier på eller over den er høje.',
  cutNotNumber: 'Skæringens niveau skal være et tal.',
  cutBadMethod: 'Vælg en metode til skæringen.',
  cutOutOfRange: 'En skæring efter {method} tager et niveau over 0 og højst 1 (fx 0,8), ikke {level}.',
  noModelChosen: 'Vælg mindst én model.',
  modelUnavailable: 'Kan ikke køre: {why}. Tildel en på trinnet Data.',
  sharedSetting: 'Én værdi for {models}.',
  choiceNeeded: 'Vælg en af mulighederne.',
  numberNeeded: 'Skriv et tal.',
  numberAtLeast: 'Skriv et tal på mindst {min}.',
  numberAtMost: 'Skriv et tal på højst {max}.',
  dateNeeded: 'Skriv en dato, eller lad feltet stå tomt for dags dato.',
  dateEmptyToday: 'Tomt: dags dato, hver gang modellen kører.',
  resetDefaults: 'Nulstil til standard',
  problemCount: 'Fejl: {count}',
  yes: 'Ja',
  no: 'Nej',

  termsInvalid: 'Ugyldige værdier i vilkårstabellen: {count}.',
  termsTiers: 'Segmenter',
  termsFor: 'Vilkår for {tier}',
  unitDays: 'dage',
  unitKroner: 'kr.',
  termsMissingTier: 'Dette segment har ingen vilkår.',
  termsBadDiscount: 'En rabat fra 0 til (men ikke med) 100 %.',
  termsBadNumber: 'Et tal, 0 eller derover.',
  termsBadChoice: 'Vælg en af mulighederne.',

  factorsInvalid: 'Fejl i faktortræet: {count}.',
  factorsIntro: 'Vælg en faktor eller gruppe for at redigere den. Vægte gælder mellem søskende; andelen er det, hver får af scoren med denne tabel.',
  factorTree: 'Faktortræ',
  weightShareHeader: 'vægt · andel',
  factorDetails: 'Faktor: {name}',
  groupDetails: 'Gruppe: {name}',
  factorName: 'Navn',
  factorWeight: 'Vægt',
  shareOfScore: 'Andel af scoren: {share}',
  factorSource: 'Kolonne',
  sourceRoles: 'Tildelte kolonner',
  sourceComputed: 'Beregnet',
  sourceColumns: 'Alle kolonner efter overskrift',
  sourceMissing: '{source} (findes ikke i tabellen)',
  sourceNotInTable: 'Tabellen har ingen sådan kolonne: faktoren udelades.',
  sourceNotNumeric: '{source} (ikke tal)',
  sourceNotNumericHint: 'Kolonnen indeholder tekst, ikke tal: ingen kunde ville få en score ud fra den. Vælg en kolonne med tal.',
  factorDirection: 'Retning',
  direction_higher: 'Højere er bedst',
  direction_lower: 'Lavere er bedst',
  factorScale: 'Skala',
  scale_rank: 'Rang',
  scale_minmax: 'Min–maks',
  scale_fixed: 'Fast',
  scaleHint_rank: 'Percentilrang: kundens plads blandt alle kunder, så få meget store værdier ikke trykker resten sammen.',
  scaleHint_minmax: 'Mellem den laveste og den højeste værdi i data: én ekstrem kunde flytter alle andre.',
  scaleHint_fixed: 'Mellem de værdier, du angiver; uden for dem tæller en kunde som endepunktet.',
  scaleMin: 'Skala fra',
  scaleMax: 'Skala til',
  scaleFromDataMin: 'laveste i data',
  scaleFromDataMax: 'højeste i data',
  addFactor: 'Tilføj faktor',
  addGroup: 'Tilføj gruppe',
  nestInGroup: 'Læg i en gruppe',
  moveUp: 'Flyt op',
  moveDown: 'Flyt ned',
  removeFactor: 'Fjern',
  newFactorName: 'Ny faktor',
  newGroupName: 'Ny gruppe',
  factorNeedsName: 'Alle faktorer og grupper skal have et navn.',
  factorBadWeight: '{name}: vægten skal være et tal, 0 eller derover.',
  factorTooDeep: '{name}: træet har højst {levels} niveauer.',
  factorRootLeaf: 'Træets top skal være en gruppe.',
  factorBadDirection: '{name}: vælg, om højere eller lavere er bedst.',
  factorUnknownScale: '{name}: vælg en skala: rang, min–maks eller fast.',
  factorBadScale: '{name}: skalaen skal være tal (eller tom for dataenes eget spænd).',
  factorScaleOrder: '{name}: skalaen skal slutte over, hvor den begynder.',
  livePreview: 'Vurdering med dette træ',
  livePreviewBlocked: 'Ret fejlene ovenfor for at se vurderingen.',
  topCustomers: 'Bedste kunder',

  previewTitle: 'Forhåndsvisning: intet er skrevet endnu',
  segment: 'Segment',
  customers: 'Kunder',
  revenue: 'Omsætning',
  share: 'Andel',
  noSegment: 'Intet segment',
  cutsUsed: 'Anvendte skæringer',
  cutLine: '{label}: {method} {level} → {value}',
  modelFailed: '{model}: {message}',
  totalLine: '{customers} kunder, omsætning {revenue}',
  notesTitle: 'Bemærkninger',
  inputsTitle: 'Kolonner læst',
  whyTitle: 'Hvorfor dette segment?',
  whyPick: 'Kunde',
  whyPlaceholder: 'Skriv et kundenavn eller kundenr.',
  whyNoMatch: 'Ingen kunder passer.',
  whyFirstMatches: 'Viser de første {count}: skriv for at indsnævre.',
  sheetRow: 'Række {row}',

  applyTitle: 'Skriv resultatet',
  writeAs: 'Skriv segmenterne som',
  modeFormulas: 'Levende Excel-formler: genberegnes i ethvert regnearksprogram',
  modeSegmentKit: 'SegmentKit-funktioner: alle, der åbner filen, skal have SegmentKit',
  modeValues: 'Værdier',
  formulasHint: 'Levende formler sammenligner hver række med skæringerne på arket Oversigt: ret en skæring, så følger segmenterne og farverne med.',
  segmentKitNeedsExcel: 'SegmentKit-funktioner kræver Excel med SegmentKit installeret; browserversionen skriver Excel-formler eller værdier.',
  applyIntro: 'SegmentKit tilføjer segmentkolonner til højre for tabellen, farver niveauerne og tilføjer arkene Prioritet og Oversigt. Den overskriver aldrig en celle, den ikke selv har skrevet.',
  applyButton: 'Anvend på projektmappen',
  reasonsColumn: 'Tilføj en begrundelseskolonne pr. model',
  reasonsHint: 'Ved siden af hver segmentkolonne: hvorfor hver kunde fik sit segment, med ord.',
  phaseRead: 'Læser tabellen…',
  cancel: 'Annullér',
  phaseCompute: 'Beregner segmenter…',
  phasePlan: 'Planlægger, hvad der skal skrives…',
  phaseWrite: 'Skriver {done} af {total} rækker…',
  phaseSave: 'Klargør filen…',
  applied: 'Færdig.',
  appliedCount: 'SegmentKit skrev {count} områder; alt andet i projektmappen er, som det var.',
  writtenRanges: 'Skrevne områder ({count})',
  applyFailed: 'Der blev ikke skrevet mere: {message}',
  download: 'Hent {file}',
};

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, da };

export type MessageParams = Record<string, string | number>;

/** Whether a key is in the dictionaries (for keys made from data, such as a default factor group's id). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** The UI string for a key with its {placeholders} filled in; numbers are formatted for the language. */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  return DICTIONARIES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, language) : value;
  });
}

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(language: Language): Translate {
  return (key, params) => translate(language, key, params);
}

/**
 * Danish when Office (or, outside Office, the browser) says Danish, else English. Office reports
 * its display language as "da-DK"; browsers say "da" or "da-DK".
 */
export function detectLanguage(officeLanguage?: string | null, browserLanguage?: string | null): Language {
  const tag = (officeLanguage || browserLanguage || '').toLowerCase();
  return tag === 'da' || tag.startsWith('da-') ? 'da' : 'en';
}

export function localeOf(language: Language): string {
  return language === 'da' ? 'da-DK' : 'en-US';
}

/** 1234567.5 → "1.234.568" in Danish, "1,234,568" in English (whole units, as on the Summary sheet). */
export function formatNumber(value: number, language: Language, maximumFractionDigits = 0): string {
  return Number.isFinite(value) ? writeNumber(value, language, maximumFractionDigits) : '–';
}

/** 0.4903 → "49,0 %" in Danish, "49.0%" in English. */
export function formatShare(share: number, language: Language): string {
  if (!Number.isFinite(share)) return '–';
  return new Intl.NumberFormat(localeOf(language), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);
}

/** A cut level as a user typed it: 0.8 → "0,8" in Danish. */
export function formatLevel(level: number, language: Language): string {
  return formatNumber(level, language, 4);
}

export function methodName(method: CutMethod, language: Language): string {
  return translate(language, `method_${method}`);
}

/** "Række 17, kolonne E (Omsætning): 'abc' er ikke et tal; …" in the UI language. */
export function problemText(problem: RowProblem, language: Language): string {
  return formatProblem(problem, language);
}
