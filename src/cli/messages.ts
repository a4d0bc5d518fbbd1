import type { Language } from '../engine';

/** What the command line says, in English and Danish; `{name}` marks a value filled in. */
const MESSAGES = {
  usage: {
    en: `Usage: segmentkit segment <customers.xlsx|.xlsm|.csv|.tsv> [options]

Segments the customer table in a workbook (or CSV/TSV file) and writes a new workbook: the input
with segment columns next to the table, colored tiers, a Priority sheet and a Summary sheet, and
nothing else changed.

Options:
  -m, --model <ids>      models to run, comma separated (default: every model the table has the
                         columns for, but {chosenOnly} only when named). Known: {models}
      --map <role=Header>  use the column headed Header for a role, e.g. --map revenue="Oms. 2025"
                         (repeatable). Roles: {roles}
  -o, --output <file>    where to write the result (default: <input>-segmented.xlsx, .xlsm for .xlsm)
  -s, --sheet <name>     the sheet holding the table (default: the first visible sheet)
      --formulas <excel|segmentkit>  live segment columns as ordinary formulas that every
                         spreadsheet program recalculates (excel, the default), or as
                         =SEGMENT.* functions: everyone who opens the file needs SegmentKit
      --values-only      write plain values instead of live formulas
      --lang <en|da>     language of the written sheets and of every message (default: en)
      --cut <m.key=method:level>  set a cut, e.g. --cut abcd.revenueCut=quantile:0.5 (repeatable)
      --set <m.key=value>  set a number, date or choice setting (repeatable), e.g.
                         --set value.newMonths=6, --set rfm.asOf=2026-10-31, --set rfm.groups=4,
                         --set rfm.monetary=perOrder, --set clv.marginShare=0.3. Settings:
{settings}
      --settings <file>  a JSON file of settings per model, e.g. {"value": {"terms": …},
                         "score": {"factors": …}, "rfm": {"grid": …}} (the terms table, the
                         factor tree and the RFM grid)
      --reasons          add a Reason column per model: why each row got its segment
      --transactions <file>[:<sheet>]  an order log (customer id, order date, amount) joined on
                         customer id, for the rfm and clv models: a CSV/TSV file, or a sheet
                         of a workbook (the first visible one unless :<sheet> names it, e.g.
                         --transactions kunder.xlsx:Ordrer; the input workbook itself may hold
                         it; quote a sheet name with spaces). A log given as the input itself
                         gets a Customers sheet, one row per customer
      --features <"Col A,Col B">  the columns the churn, clusters and twins models learn from
                         (default: every usable column; identifiers, names, account managers
                         and free text are left out and listed)
      --join <file>[:<sheet>]  features from another file or sheet (.xlsx or CSV; the first
                         visible sheet unless :<sheet> names it) joined on --on
      --on <key>         the key column of --join, e.g. --on Kundenr, or --on Kundenr=CVR
                         when the other file names it differently
  -v, --verbose          report the time each step took (on stderr)
  -h, --help             show this help

Exit codes: 0 the file was written (rows with problems are reported on stderr), 1 the run
stopped (the file could not be read, a model lacks its columns, …; nothing is written),
2 the command line is wrong.
`,
    da: `Brug: segmentkit segment <kunder.xlsx|.xlsm|.csv|.tsv> [indstillinger]

Segmenterer kundetabellen i en projektmappe (eller CSV/TSV-fil) og skriver en ny projektmappe:
inputfilen med segmentkolonner ved siden af tabellen, farvede segmenter, et Prioritet-ark og et
Oversigt-ark, og intet andet ændret.

Indstillinger:
  -m, --model <id'er>    modeller, der skal køre, adskilt af komma (standard: alle modeller,
                         tabellen har kolonnerne til, men {chosenOnly} kun når de nævnes). Kendte: {models}
      --map <rolle=Overskrift>  brug kolonnen med overskriften Overskrift til en rolle, fx
                         --map revenue="Oms. 2025" (kan gentages). Roller: {roles}
  -o, --output <fil>     hvor resultatet skrives (standard: <input>-segmented.xlsx, .xlsm for .xlsm)
  -s, --sheet <navn>     arket med tabellen (standard: det første synlige ark)
      --formulas <excel|segmentkit>  levende segmentkolonner som almindelige formler, som alle
                         regnearksprogrammer genberegner (excel, standard), eller som
                         =SEGMENT.*-funktioner: alle, der åbner filen, skal have SegmentKit
      --values-only      skriv faste værdier i stedet for levende formler
      --lang <en|da>     sprog for de skrevne ark og for alle meddelelser (standard: en)
      --cut <m.nøgle=metode:niveau>  sæt en skæring, fx --cut abcd.revenueCut=quantile:0.5
                         (kan gentages)
      --set <m.nøgle=værdi>  sæt en tal-, dato- eller valgindstilling (kan gentages), fx
                         --set value.newMonths=6, --set rfm.asOf=2026-10-31, --set rfm.groups=4,
                         --set rfm.monetary=perOrder, --set clv.marginShare=0.3. Indstillinger:
{settings}
      --settings <fil>   en JSON-fil med indstillinger pr. model, fx {"value": {"terms": …},
                         "score": {"factors": …}, "rfm": {"grid": …}} (vilkårstabellen,
                         faktortræet og RFM-gitteret)
      --reasons          tilføj en Begrundelse-kolonne pr. model: hvorfor hver række fik sit segment
      --transactions <fil>[:<ark>]  en ordrelog (kundenummer, ordredato, beløb) forbundet via
                         kundenummer, til modellerne rfm og clv: en CSV/TSV-fil eller et ark i en
                         projektmappe (det første synlige, medmindre :<ark> angiver det, fx
                         --transactions kunder.xlsx:Ordrer; inputmappen selv kan rumme det; sæt
                         et arknavn med mellemrum i anførselstegn). En log givet som selve
                         inputfilen får et Kunder-ark med én række pr. kunde
      --features <"Kol A,Kol B">  kolonnerne, som modellerne churn, clusters og twins lærer af
                         (standard: alle brugbare kolonner; identifikatorer, navne,
                         kundeansvarlige og fritekst udelades og vises)
      --join <fil>[:<ark>]  kendetegn fra en anden fil eller et andet ark (.xlsx eller CSV; det
                         første synlige ark, medmindre :<ark> angiver et) forbundet via --on
      --on <nøgle>       nøglekolonnen for --join, fx --on Kundenr, eller --on Kundenr=CVR,
                         når den anden fil kalder den noget andet
  -v, --verbose          vis tiden for hvert trin (på stderr)
  -h, --help             vis denne hjælp

Afslutningskoder: 0 filen blev skrevet (rækker med problemer meldes på stderr), 1 kørslen
stoppede (filen kunne ikke læses, en model mangler sine kolonner, …; intet skrives),
2 kommandolinjen er forkert.
`,
  },
  dateSetting: { en: 'date', da: 'dato' },
  unknownLanguage: { en: '--lang takes en or da, not "{value}".', da: '--lang tager en eller da, ikke "{value}".' },
  formulasChoice: {
    en: '--formulas {value}: write excel (ordinary formulas, the default) or segmentkit (=SEGMENT.* functions).',
    da: '--formulas {value}: skriv excel (almindelige formler, standard) eller segmentkit (=SEGMENT.*-funktioner).',
  },
  noInput: { en: 'Name the file to segment: segmentkit segment customers.xlsx', da: 'Angiv filen, der skal segmenteres: segmentkit segment kunder.xlsx' },
  extraArguments: {
    en: 'segmentkit segment takes one file, not also {extra}: put a name with spaces in quotes, and give options with their dashes.',
    da: 'segmentkit segment tager én fil, ikke også {extra}: sæt et navn med mellemrum i anførselstegn, og skriv indstillinger med deres bindestreger.',
  },
  unknownOption: { en: 'There is no option {option}: see segmentkit --help.', da: 'Der er ingen indstilling {option}: se segmentkit --help.' },
  optionNeedsValue: { en: '{option} needs a value after it: see segmentkit --help.', da: '{option} skal have en værdi efter sig: se segmentkit --help.' },
  optionTakesNoValue: { en: '{option} takes no value: write it alone.', da: '{option} tager ingen værdi: skriv den alene.' },
  commandLine: { en: 'Cannot read the command line ({reason}): see segmentkit --help.', da: 'Kan ikke læse kommandolinjen ({reason}): se segmentkit --help.' },
  inputMissing: { en: 'There is no file "{file}".', da: 'Filen "{file}" findes ikke.' },
  inputUnreadable: { en: 'Cannot read "{file}": {reason}.', da: 'Kan ikke læse "{file}": {reason}.' },
  sheetMissing: { en: 'The workbook has no sheet named "{sheet}". Sheets: {known}.', da: 'Projektmappen har intet ark med navnet "{sheet}". Ark: {known}.' },
  noSheet: { en: 'The workbook has no visible sheet with data: show the sheet with the customers, or name it with -s.', da: 'Projektmappen har intet synligt ark med data: vis arket med kunderne, eller angiv det med -s.' },
  noCustomers: {
    en: 'The sheet "{sheet}" has no customer rows below its header (row {row}): name the sheet that holds the customer table with -s. Sheets: {known}.',
    da: 'Arket "{sheet}" har ingen kunderækker under overskriftsrækken (række {row}): angiv arket med kundetabellen med -s. Ark: {known}.',
  },
  noCustomersInText: {
    en: '{file} has a header (row {row}) but no customer rows below it: export the customer table again.',
    da: '{file} har en overskriftsrække (række {row}), men ingen kunderækker under den: eksportér kundetabellen igen.',
  },
  unknownModel: { en: 'There is no model "{model}". Known: {known}.', da: 'Der er ingen model "{model}". Kendte: {known}.' },
  mapForm: { en: 'Cannot read --map {text}: write it as role=Header, e.g. --map revenue="Oms. 2025".', da: 'Kan ikke læse --map {text}: skriv den som rolle=Overskrift, fx --map revenue="Oms. 2025".' },
  mapUnknownRole: { en: '--map {text}: there is no role "{role}". Roles: {known}.', da: '--map {text}: der er ingen rolle "{role}". Roller: {known}.' },
  mapUnknownHeader: { en: '--map {text}: the table has no column headed "{header}". Columns: {known}.', da: '--map {text}: tabellen har ingen kolonne med overskriften "{header}". Kolonner: {known}.' },
  modelSkipped: {
    en: '{model} skipped: {why} (map one with --map {role}=Header).',
    da: '{model} springes over: {why} (tilknyt en med --map {role}=Overskrift).',
  },
  modelNeedsColumns: {
    en: '{model} cannot run: {why}. Map one with --map {role}=Header, or leave the model out of --model.',
    da: '{model} kan ikke køre: {why}. Tilknyt en med --map {role}=Overskrift, eller udelad modellen fra --model.',
  },
  modelLeftOut: { en: '{model} left out: {why}.', da: '{model} udeladt: {why}.' },
  roleMissing: {
    en: 'A chosen model needs a column for {roles}, which the table lacks: map one with --map {role}=Header.',
    da: 'En valgt model kræver en kolonne til {roles}, som tabellen mangler: tilknyt en med --map {role}=Overskrift.',
  },
  noModel: {
    en: 'No model can run on this table: it has no column for revenue or the other inputs. Map columns with --map role=Header.',
    da: 'Ingen model kan køre på denne tabel: den har ingen kolonne til omsætning eller de andre input. Tilknyt kolonner med --map rolle=Overskrift.',
  },
  cutForm: {
    en: 'Cannot read --cut {text}: write it as model.key=method:level, e.g. abcd.revenueCut=quantile:0.5.',
    da: 'Kan ikke læse --cut {text}: skriv den som model.nøgle=metode:niveau, fx abcd.revenueCut=quantile:0.5.',
  },
  cutModelNotRun: { en: '--cut {text}: the model {model} is not among the models run.', da: '--cut {text}: modellen {model} er ikke blandt de modeller, der køres.' },
  cutUnknown: { en: '--cut {text}: {model} has no cut called {key}. Known: {known}.', da: '--cut {text}: {model} har ingen skæring, der hedder {key}. Kendte: {known}.' },
  /** {reason} is the engine's sentence (validateCut), in the same language. */
  cutRange: { en: '--cut {text}: {reason}', da: '--cut {text}: {reason}' },
  setForm: { en: 'Cannot read --set {text}: write it as model.key=value, e.g. value.newMonths=6.', da: 'Kan ikke læse --set {text}: skriv den som model.nøgle=værdi, fx value.newMonths=6.' },
  setModelNotChosen: { en: '--set {text}: the model {model} is not among the models chosen.', da: '--set {text}: modellen {model} er ikke blandt de valgte modeller.' },
  setUnknown: {
    en: '--set {text}: {model} has no number, date or choice setting called {key}. Known: {known}.',
    da: '--set {text}: {model} har ingen tal-, dato- eller valgindstilling, der hedder {key}. Kendte: {known}.',
  },
  setNotChoice: { en: '--set {text}: not one of the choices: {known}.', da: '--set {text}: ikke et af valgene: {known}.' },
  setNotDate: { en: '--set {text}: not a date (write 2026-10-31).', da: '--set {text}: ikke en dato (skriv 2026-10-31).' },
  setNotNumber: { en: '--set {text}: not a number in range.', da: '--set {text}: ikke et tal i det tilladte interval.' },
  settingsUnreadable: { en: 'Cannot read the settings file "{file}": {reason}.', da: 'Kan ikke læse indstillingsfilen "{file}": {reason}.' },
  settingsNotJson: {
    en: 'The settings file "{file}" is not JSON of settings per model, such as {"value": {"newMonths": 6}}: {reason}.',
    da: 'Indstillingsfilen "{file}" er ikke JSON med indstillinger pr. model, som {"value": {"newMonths": 6}}: {reason}.',
  },
  notObjectOfObjects: { en: 'not an object of objects', da: 'ikke et objekt af objekter' },
  settingsModelNotChosen: { en: '--settings {file}: the model {model} is not among the models chosen.', da: '--settings {file}: modellen {model} er ikke blandt de valgte modeller.' },
  settingsUnknown: { en: '--settings {file}: {model} has no setting called {key}.', da: '--settings {file}: {model} har ingen indstilling, der hedder {key}.' },
  outputFolderMissing: { en: 'The folder {folder} does not exist: create it, or give -o a file in a folder that does.', da: 'Mappen {folder} findes ikke: opret den, eller giv -o en fil i en mappe, der findes.' },
  phaseRead: { en: 'read {file}', da: 'læste {file}' },
  phaseSegment: { en: 'segment {rows} rows and plan', da: 'segmenterede {rows} rækker og planlagde' },
  phaseWrite: { en: 'write {file}', da: 'skrev {file}' },
  phaseTime: { en: '{name}: {seconds} s, {memory} MB in use', da: '{name}: {seconds} s, {memory} MB i brug' },
  summary: { en: '{file}: {customers} customers on sheet "{sheet}", {problems} problem(s).', da: '{file}: {customers} kunder på arket "{sheet}", {problems} problem(er).' },
  wrote: { en: 'Wrote {file} in {seconds} s.', da: 'Skrev {file} på {seconds} s.' },
  moreProblems: { en: '… and {count} more cells that could not be read, each left out as above: {columns}.', da: '… og {count} celler mere, der ikke kunne læses, hver udeladt som ovenfor: {columns}.' },
  readCsv: { en: 'Read {file} as {encoding} text separated by "{delimiter}".', da: 'Læste {file} som {encoding}-tekst adskilt af "{delimiter}".' },
  emptyFile: {
    en: '{file} is empty: there is no customer table or order log in it. Save the table from Excel as CSV (a header row, then one row per customer or order line) and run again.',
    da: '{file} er tom: der er ingen kundetabel eller ordrelog i den. Gem tabellen fra Excel som CSV (en overskriftsrække og derefter én række pr. kunde eller ordrelinje), og kør igen.',
  },
  tab: { en: 'tab', da: 'tabulator' },
  sameFile: { en: 'The result would overwrite the input "{file}": choose another file with -o.', da: 'Resultatet ville overskrive inputfilen "{file}": vælg en anden fil med -o.' },
  notALog: {
    en: '--transactions {file} is not a transaction log: it needs a customer id, an order date and an amount (or a quantity and a unit price) column. Columns: {headers}.',
    da: '--transactions {file} er ikke en transaktionslog: den skal have kolonner med kundenummer, ordredato og beløb (eller antal og stykpris). Kolonner: {headers}.',
  },
  transactionsNeedId: {
    en: '--transactions joins the log on customer id, and the customer table has no customer id column: map one with --map id=Header.',
    da: '--transactions forbinder loggen via kundenummer, og kundetabellen har ingen kolonne med kundenummer: tilknyt en med --map id=Overskrift.',
  },
  transactionsCsvSheet: {
    en: '--transactions {spec}: {file} is a CSV file, which has no sheets: give the file alone.',
    da: '--transactions {spec}: {file} er en CSV-fil, som ikke har ark: angiv filen alene.',
  },
  logSheetHint: {
    en: 'The workbook has an order log on the sheet "{sheet}": add --transactions {spec} to run RFM and CLV on its orders.',
    da: 'Projektmappen har en ordrelog på arket "{sheet}": tilføj --transactions {spec} for at køre RFM og CLV på dens ordrer.',
  },
  readCsvLog: {
    en: 'The log ({lines} lines) was read from the CSV; the workbook holds one row per customer: {customers} on the sheet "{sheet}".',
    da: 'Loggen ({lines} linjer) blev læst fra CSV-filen; projektmappen har én række pr. kunde: {customers} på arket "{sheet}".',
  },
  readLog: {
    en: '{file} is a transaction log: {customers} customers summarised on a new sheet "{sheet}".',
    da: '{file} er en transaktionslog: {customers} kunder opsummeret på et nyt ark "{sheet}".',
  },
  joinCsvSheet: {
    en: '--join {spec}: {file} is a CSV file, which has no sheets: give the file alone.',
    da: '--join {spec}: {file} er en CSV-fil, som ikke har ark: angiv filen alene.',
  },
  joinNeedsOn: {
    en: '--join {spec} needs --on with the key column to join on, e.g. --on Kundenr (or --on Kundenr=CVR when the file names it differently).',
    da: '--join {spec} skal have --on med nøglekolonnen, der forbindes via, fx --on Kundenr (eller --on Kundenr=CVR, når filen kalder den noget andet).',
  },
  onNeedsJoin: { en: '--on {key} names the key of a file given with --join: add --join file.xlsx:Sheet.', da: '--on {key} angiver nøglen for en fil givet med --join: tilføj --join fil.xlsx:Ark.' },
  /** {where} is joinWhereSheet, or the file name of a CSV. */
  joinWhereSheet: { en: '{file}, sheet "{sheet}"', da: '{file}, arket "{sheet}"' },
  joinKeyNotInTable: {
    en: '--on {on}: the customer table has no key column "{key}" to join {where} on. Columns: {known}.',
    da: '--on {on}: kundetabellen har ingen nøglekolonne "{key}" at forbinde {where} via. Kolonner: {known}.',
  },
  joinKeyNotInFile: {
    en: '--on {on}: {where} has no key column "{key}". Columns: {known}.',
    da: '--on {on}: {where} har ingen nøglekolonne "{key}". Kolonner: {known}.',
  },
  featuresEmpty: { en: '--features names no column: write the headers separated by commas, e.g. --features "tenure,Contract".', da: '--features angiver ingen kolonne: skriv overskrifterne adskilt af komma, fx --features "tenure,Contract".' },
  featuresUnknown: { en: '--features: there is no column "{header}". Columns: {known}.', da: '--features: der er ingen kolonne "{header}". Kolonner: {known}.' },
  featuresUnused: {
    en: '{option} gives features to the churn, clusters and twins models, and none of the models run ({models}) reads features.',
    da: '{option} giver kendetegn til modellerne churn, clusters og twins, og ingen af de modeller, der køres ({models}), læser kendetegn.',
  },
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
