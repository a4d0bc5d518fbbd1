import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCustomerTable, joinColumns, type ModelChoice } from '../src/engine';
import { applyFeatureChoice, chosenFeatures, joinKeys, joinSource } from '../src/cli/features';
import { runCli } from './support/cli-run';

const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-features-'));
const customers = path.join(dir, 'kunder.csv');
writeFileSync(customers, ['Kundenr;Kunde;Omsætning;Potentiale', 'K1;Alfa;1000;2000', 'K2;Beta;500;4000', 'K3;Gamma;800;900', 'K4;Delta;300;600'].join('\r\n'));
const firmographics = path.join(dir, 'firmografi.xlsx');

async function writeFirmographics(): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Noter').addRow(['Købt hos en dataleverandør']);
  const data = workbook.addWorksheet('Data');
  for (const row of [['Kundenr', 'Branche', 'Ansatte'], ['K1', '471100', 12], ['K2', '620100', 250], ['K1', '011100', 3], ['K9', '471900', 40]]) data.addRow(row);
  await workbook.xlsx.writeFile(firmographics);
}

describe('--join and --features on the command line', () => {
  it('reads the joined sheet through the CLI\'s reader and says what matched, then refuses options no chosen model reads', async () => {
    await writeFirmographics();
    const run = await runCli(['segment', customers, '-m', 'abcd', '--join', `${firmographics}:Data`, '--on', 'Kundenr', '-o', path.join(dir, 'out.xlsx')]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('Joined 2 column(s) of firmografi.xlsx, sheet "Data" on "Kundenr": 2 row(s) matched, 2 without a match.');
    expect(run.err).toContain('firmografi.xlsx, sheet "Data" holds the key "K1" on rows 2, 4: row 2 is used.');
    expect(run.err.at(-1)).toBe('segmentkit: --join gives features to the churn, clusters and twins models, and none of the models run (abcd) reads features.');
  });

  it('names the file, the sheet and the key when the key is not there, in English and Danish', async () => {
    await writeFirmographics();
    const english = await runCli(['segment', customers, '-m', 'abcd', '--join', `${firmographics}:Data`, '--on', 'Kundenr=CVR']);
    expect(english.code).toBe(2);
    expect(english.err.at(-1)).toBe('segmentkit: --on Kundenr=CVR: firmografi.xlsx, sheet "Data" has no key column "CVR". Columns: "Kundenr", "Branche", "Ansatte".');
    const danish = await runCli(['segment', customers, '--lang', 'da', '-m', 'abcd', '--join', `${firmographics}:Data`, '--on', 'CVR']);
    expect(danish.err.at(-1)).toBe('segmentkit: --on CVR: kundetabellen har ingen nøglekolonne "CVR" at forbinde firmografi.xlsx, arket "Data" via. Kolonner: "Kundenr", "Kunde", "Omsætning", "Potentiale".');
    // The file alone is its first sheet: here a note, not a table, which the reader says.
    const firstSheet = await runCli(['segment', customers, '--lang', 'da', '-m', 'abcd', '--join', firmographics, '--on', 'Kundenr']);
    expect(firstSheet.err.at(-1)).toMatch(/^segmentkit: Ingen række på arket "Noter" ligner en overskriftsrække/);
  });

  it('refuses --join without --on, --on without --join, and a --features header the table lacks', async () => {
    const noOn = await runCli(['segment', customers, '--join', firmographics]);
    expect([noOn.code, noOn.err.at(-1)]).toEqual([2, `segmentkit: --join ${firmographics} needs --on with the key column to join on, e.g. --on Kundenr (or --on Kundenr=CVR when the file names it differently).`]);
    const noJoin = await runCli(['segment', customers, '--lang', 'da', '--on', 'Kundenr']);
    expect([noJoin.code, noJoin.err.at(-1)]).toEqual([2, 'segmentkit: --on Kundenr angiver nøglen for en fil givet med --join: tilføj --join fil.xlsx:Ark.']);
    const unknown = await runCli(['segment', customers, '--features', 'Omsætning,Tenure']);
    expect([unknown.code, unknown.err.at(-1)]).toEqual([2, 'segmentkit: --features: there is no column "Tenure". Columns: "Kundenr", "Kunde", "Omsætning", "Potentiale".']);
  });
});

describe('the CLI\'s feature options, piece by piece', () => {
  const table = buildCustomerTable(['Kundenr', 'Omsætning', 'Region'], [['K1', 10, 'Øst'], ['K2', 20, 'Vest']]);
  table.joined = joinColumns(table, { headers: ['Kundenr', 'Ansatte', 'Region'], rows: [['K1', 5, 'Hovedstaden']], name: 'firma.csv' }, 'Kundenr');

  it('finds --features headers among the table\'s and the joined ones, case and punctuation aside, each once', () => {
    expect(chosenFeatures(' omsætning , Ansatte,firma.csv: Region,Omsætning', table, 'en')).toEqual(['Omsætning', 'Ansatte', 'firma.csv: Region']);
    expect(chosenFeatures(undefined, table, 'en')).toBeUndefined();
    expect(() => chosenFeatures(' , ', table, 'en')).toThrow('--features names no column');
  });

  it('stores the choice as the features setting of every chosen model that reads features, and no other', () => {
    const choices: ModelChoice[] = [{ id: 'abcd', settings: {} }, { id: 'churn', settings: { features: ['old'] } }];
    applyFeatureChoice(choices, ['Omsætning', 'Ansatte'], true, 'en', (id) => id === 'churn');
    expect(choices).toEqual([{ id: 'abcd', settings: {} }, { id: 'churn', settings: { features: ['Omsætning', 'Ansatte'] } }]);
    // A join without --features leaves the model's own choice (every usable column) alone.
    applyFeatureChoice(choices, undefined, true, 'en', (id) => id === 'churn');
    expect(choices[1].settings.features).toEqual(['Omsætning', 'Ansatte']);
  });

  it('splits --join at the last colon only where the part before it is a file, and --on at =', () => {
    expect(joinSource(`${firmographics}:Data`, 'en')).toEqual({ file: firmographics, sheet: 'Data' });
    expect(joinSource(firmographics, 'en')).toEqual({ file: firmographics });
    expect(() => joinSource(`${customers}:Ark1`, 'da')).toThrow(`--join ${customers}:Ark1: ${customers} er en CSV-fil, som ikke har ark: angiv filen alene.`);
    expect(joinKeys('Kundenr')).toEqual({ key: 'Kundenr', otherKey: 'Kundenr' });
    expect(joinKeys('Kundenr = CVR')).toEqual({ key: 'Kundenr', otherKey: 'CVR' });
  });
});
