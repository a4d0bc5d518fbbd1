import {
  CATALOG, columnLetter, defaultSettings, getModel, MissingRoleError, roleDefinition, segment, summarize, validateCut,
  type CustomerTable, type CutSpec, type Language, type ModelChoice, type ModelDefinition, type ModelResult, type ModelSettings,
  type RoleId, type RoleMapping, type SegmentSummary,
} from '../../engine';
import type { TableSnapshot } from '../../workbook/port';
import { formatLevel, methodName, translate } from '../i18n';

/** The pure logic behind the task pane: no React, no Office, so it is tested on its own. */

export function roleOfColumn(mapping: RoleMapping, column: number): RoleId | undefined {
  return (Object.keys(mapping) as RoleId[]).find((role) => mapping[role] === column);
}

/** Gives a column a role (or none). A role belongs to one column, so it leaves any column that had it. */
export function assignRole(mapping: RoleMapping, column: number, role: RoleId | null): RoleMapping {
  const next: RoleMapping = {};
  for (const [existing, existingColumn] of Object.entries(mapping) as [RoleId, number][]) {
    if (existingColumn !== column && existing !== role) next[existing] = existingColumn;
  }
  if (role) next[role] = column;
  return next;
}

/** The table's cells as Excel names them, header row included: "A1:L2001". */
export function tableAddress(snapshot: TableSnapshot): string {
  const { headerRow, firstColumn } = snapshot.origin;
  const lastColumn = firstColumn + Math.max(snapshot.headers.length, 1) - 1;
  return `${columnLetter(firstColumn)}${headerRow}:${columnLetter(lastColumn)}${headerRow + snapshot.rows.length}`;
}

export interface ModelSelection {
  enabled: boolean;
  settings: ModelSettings;
}

export type Selection = Record<string, ModelSelection>;

/** Every model in the catalog with its defaults; the first one is on, so a first run needs no clicks. */
export function initialSelection(): Selection {
  return Object.fromEntries(CATALOG.map((model, index) => [model.id, { enabled: index === 0, settings: defaultSettings(model) }]));
}

export function chosenModels(selection: Selection): ModelChoice[] {
  return CATALOG.filter((model) => selection[model.id]?.enabled).map((model) => ({ id: model.id, settings: selection[model.id].settings }));
}

/** What is wrong with a cut in words the user reads; null when the cut is fine. */
export function cutProblem(spec: CutSpec, language: Language): string | null {
  if (validateCut(spec) === null) return null;
  if (!Number.isFinite(spec.level)) return translate(language, 'cutNotNumber');
  return translate(language, 'cutOutOfRange', { method: methodName(spec.method, language).toLowerCase(), level: formatLevel(spec.level, language) });
}

/** The problem of every cut setting of a model, by setting key. */
export function settingProblems(model: ModelDefinition, settings: ModelSettings, language: Language): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const setting of model.settings) {
    if (setting.kind !== 'cut') continue;
    const problem = cutProblem(settings[setting.key] as CutSpec, language);
    if (problem) problems[setting.key] = problem;
  }
  return problems;
}

/** Whether every chosen model has valid settings, so the pane may move on to the preview. */
export function selectionReady(selection: Selection): boolean {
  const choices = chosenModels(selection);
  return choices.length > 0 && choices.every((choice) => Object.keys(settingProblems(getModel(choice.id), choice.settings, 'en')).length === 0);
}

/** The roles a model reads that no column has, named in the UI language. */
export function missingRoles(model: ModelDefinition, mapping: RoleMapping, language: Language): string[] {
  return model.inputs.filter((role) => mapping[role] === undefined).map((role) => roleDefinition(role).label[language]);
}

export interface ModelPreview {
  model: ModelDefinition;
  result?: ModelResult;
  lines: SegmentSummary[];
  /** Set when the model could not run, e.g. a column it needs is not mapped. */
  error?: string;
}

/** Runs each chosen model on its own, so one model missing a column does not hide the others. */
export function previewModels(table: CustomerTable, choices: readonly ModelChoice[], language: Language): ModelPreview[] {
  return choices.map((choice) => {
    const model = getModel(choice.id);
    try {
      const [result] = segment(table, [choice]).results;
      return { model, result, lines: summarize(table, model, result) };
    } catch (error) {
      if (!(error instanceof MissingRoleError)) throw error;
      const role = roleDefinition(error.role).label[language];
      return { model, lines: [], error: translate(language, 'needsColumns', { roles: role }) };
    }
  });
}

/** "kunder.xlsx" → "kunder-segmented.xlsx". */
export function resultFileName(original: string): string {
  const base = original.replace(/^.*[\\/]/, '').replace(/\.xlsx$/i, '') || 'workbook';
  return `${base}-segmented.xlsx`;
}

/** Lets the browser paint (progress, spinners) between heavy phases of work. */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
