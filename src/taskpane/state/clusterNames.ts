import {
  applyRenames, clusterFitOf, clusterNameProblems, renamesSetting,
  type ClusterRename, type CustomerTable, type DataSetting, type Localized, type ModelResult, type ModelSettings, type SettingValue,
} from '../../engine';

/*
 * The pane's side of renaming clusters (clusters.ts, setting `names`): a rename stores the
 * generated English name it replaces, so it follows its cluster when a rerun numbers the clusters
 * differently, and the engine drops it (with a note) when no cluster has that profile any more.
 */

/** The renames a `names` setting holds; none when it cannot be read (settingProblem says why). */
export function renamesOf(value: SettingValue | undefined): ClusterRename[] {
  return Array.isArray(value) && clusterNameProblems(value).length === 0 ? value as unknown as ClusterRename[] : [];
}

/** The 0-based cluster a rename lands on among `generated`, as applyRenames picks it; -1 for none. */
function targetOf(generated: readonly Localized[], rename: ClusterRename): number {
  if (rename.generated !== undefined) return generated.findIndex((name) => name.en === rename.generated);
  return rename.cluster - 1 < generated.length ? rename.cluster - 1 : -1;
}

/** One cluster as the names editor shows it: its number (1-based), generated name and the name the user gave ('' = none). */
export interface ClusterNameRow {
  cluster: number;
  generated: Localized;
  name: string;
}

/** Each cluster of a run (its generated names, cluster 1 first) with the rename the setting gives it, if any. */
export function clusterNameRows(generated: readonly Localized[], value: SettingValue | undefined): ClusterNameRow[] {
  const { names, renamed } = applyRenames(generated, renamesOf(value));
  return generated.map((name, index) => ({ cluster: index + 1, generated: name, name: renamed[index] ? names[index].en : '' }));
}

/**
 * The `names` setting with cluster `cluster` (1-based) named `text`, or back to its generated name
 * when `text` is blank. Other clusters' renames, and renames that land on no cluster, are kept.
 * The rename is tied to the generated name, unless two clusters share it: then to the number.
 */
export function withClusterName(generated: readonly Localized[], value: SettingValue | undefined, cluster: number, text: string): DataSetting {
  const index = cluster - 1;
  const kept = renamesOf(value).filter((rename) => targetOf(generated, rename) !== index);
  const name = text.trim();
  if (name === '') return renamesSetting(kept);
  const own = generated[index].en;
  const unique = generated.filter((other) => other.en === own).length === 1;
  return renamesSetting([...kept, { cluster, name, ...(unique ? { generated: own } : {}) }]);
}

/** Renames that name no cluster of this run (its profile no longer comes out): the run drops them with a note. */
export function unappliedRenames(generated: readonly Localized[], value: SettingValue | undefined): ClusterRename[] {
  return applyRenames(generated, renamesOf(value)).dropped;
}

/** The `names` setting without the renames that name no cluster of this run. */
export function withoutUnapplied(generated: readonly Localized[], value: SettingValue | undefined): DataSetting {
  const dropped = new Set(unappliedRenames(generated, value));
  return renamesSetting(renamesOf(value).filter((rename) => !dropped.has(rename)));
}

/** The settings that decide the clusters, names aside: the key the last preview is remembered by. */
function fitKey(settings: ModelSettings): string {
  return JSON.stringify(Object.entries(settings).filter(([key]) => key !== 'names'));
}

/** The generated names of the last preview of the clusters model per table, with the settings they came from. */
const SEEN = new WeakMap<CustomerTable, { key: string; generated: Localized[] }>();

/**
 * Remembers the generated names of a clusters result the preview showed, so the names panel on the
 * Models step can offer them; anything but a clusters result is ignored.
 */
export function rememberClusters(table: CustomerTable, settings: ModelSettings, result: ModelResult): void {
  const fit = clusterFitOf(result);
  if (fit) SEEN.set(table, { key: fitKey(settings), generated: fit.generatedNames });
}

/**
 * The generated names the last preview gave the clusters of this table, when the settings that
 * decide them (k, features, skew) are still those; undefined before a preview or after a change.
 */
export function clustersSeen(table: CustomerTable, settings: ModelSettings): Localized[] | undefined {
  const seen = SEEN.get(table);
  return seen && seen.key === fitKey(settings) ? seen.generated : undefined;
}
