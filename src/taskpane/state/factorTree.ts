import {
  cellText, DEFAULT_LEAF_SCALE, defaultFactorTree, detectDecimalSeparator, factorIssues, isBlankRow, isLeaf, MAX_FACTOR_DEPTH, normalizeHeader, parseNumber,
  ROLES, roleDefinition, sourceLabel, TRUE_MARGIN_SOURCE,
  type CellValue, type CustomerTable, type FactorIssueKind, type FactorNode, type Language, type RoleId,
} from '../../engine';
import { translate, type MessageKey } from '../i18n';

/**
 * Edits of the deep-dive rating's factor tree, as plain functions: each returns a new tree and
 * leaves the one it was given alone, so React sees the change and the old tree can still be shown.
 * Nodes are found by id; an edit that names no node, or would break the tree, returns the tree as
 * it was.
 */

export type Depth = number;

/** The node with an id, its depth (the root is 0) and its parent (null for the root). */
export interface Located {
  node: FactorNode;
  depth: Depth;
  parent: FactorNode | null;
}

export function locate(root: FactorNode, id: string): Located | null {
  const visit = (node: FactorNode, depth: number, parent: FactorNode | null): Located | null => {
    if (node.id === id) return { node, depth, parent };
    for (const child of node.children ?? []) {
      const found = visit(child, depth + 1, node);
      if (found) return found;
    }
    return null;
  };
  return visit(root, 0, null);
}

/** How many levels a node's subtree goes below it: 0 for a leaf or an empty group. */
export function subtreeHeight(node: FactorNode): number {
  return Math.max(0, ...(node.children ?? []).map((child) => 1 + subtreeHeight(child)));
}

/** An id not used anywhere in the tree: "f1", "f2", … */
export function freshId(root: FactorNode, prefix = 'f'): string {
  const used = new Set<string>();
  const collect = (node: FactorNode) => { used.add(node.id); (node.children ?? []).forEach(collect); };
  collect(root);
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** Rebuilds the path from the root to the node with the id, replacing that node by what `change` returns. */
function replaceNode(root: FactorNode, id: string, change: (node: FactorNode) => FactorNode): FactorNode {
  if (root.id === id) return change(root);
  if (!root.children) return root;
  let changed = false;
  const children = root.children.map((child) => {
    const next = replaceNode(child, id, change);
    if (next !== child) changed = true;
    return next;
  });
  return changed ? { ...root, children } : root;
}

/** Whether a new node may go under a group: leaves may sit at MAX_FACTOR_DEPTH, groups one above, so they can hold leaves. */
export function canAdd(root: FactorNode, parentId: string, kind: 'factor' | 'group'): boolean {
  const found = locate(root, parentId);
  if (!found || isLeaf(found.node)) return false;
  const depth = found.depth + 1;
  return kind === 'factor' ? depth <= MAX_FACTOR_DEPTH : depth < MAX_FACTOR_DEPTH;
}

/** A new leaf: higher is better, on the default scale (percentile rank), with the weight given (1 unless said). */
export function newFactor(id: string, name: string, source: string, weight = 1): FactorNode {
  return { id, name, weight, source, direction: 'higher', scale: DEFAULT_LEAF_SCALE, min: null, max: null };
}

/**
 * The weight a new child of a group starts with: the mean of its siblings' weights (1 in an empty
 * group), so a factor added beside weights of 50 gets an equal say, not 1/101 of it unannounced.
 */
export function newChildWeight(root: FactorNode, parentId: string): number {
  const found = locate(root, parentId);
  const weights = (found?.node.children ?? []).map((child) => child.weight).filter((weight) => Number.isFinite(weight) && weight > 0);
  return weights.length === 0 ? 1 : weights.reduce((sum, weight) => sum + weight, 0) / weights.length;
}

/**
 * The factor "Add factor" puts under a group: on the first column of numbers the tree does not
 * read yet (so it adds something), else the first one there is, named after that column, with
 * its siblings' mean weight. Null when the table has no column of numbers to read.
 */
export function suggestedFactor(root: FactorNode, parentId: string, options: readonly SourceOption[]): FactorNode | null {
  const used = new Set(usedSources(root));
  const available = options.filter((option) => option.available);
  const source = available.find((option) => !used.has(option.value)) ?? available[0];
  return source ? newFactor(freshId(root), source.label, source.value, newChildWeight(root, parentId)) : null;
}

export function newGroup(id: string, name: string): FactorNode {
  return { id, name, weight: 1, children: [] };
}

/** Adds a node as the last child of a group; the tree as it was when the group cannot take it. */
export function addChild(root: FactorNode, parentId: string, child: FactorNode): FactorNode {
  const kind = isLeaf(child) ? 'factor' : 'group';
  if (!canAdd(root, parentId, kind)) return root;
  const found = locate(root, parentId)!;
  // A group added with children of its own must still end within the depth limit.
  if (found.depth + 1 + subtreeHeight(child) > MAX_FACTOR_DEPTH) return root;
  return replaceNode(root, parentId, (parent) => ({ ...parent, children: [...(parent.children ?? []), child] }));
}

export function addFactor(root: FactorNode, parentId: string, name: string, source: string): FactorNode {
  return addChild(root, parentId, newFactor(freshId(root), name, source));
}

export function addGroup(root: FactorNode, parentId: string, name: string): FactorNode {
  return addChild(root, parentId, newGroup(freshId(root, 'g'), name));
}

/** Whether a node can be put into a new group of its own: not the root, and the subtree one level deeper still fits. */
export function canNest(root: FactorNode, id: string): boolean {
  const found = locate(root, id);
  if (!found || found.parent === null) return false;
  return found.depth + 1 + subtreeHeight(found.node) <= MAX_FACTOR_DEPTH;
}

/**
 * Puts a node into a new group at its place: the group takes the node's weight, the node keeps its
 * own as the group's first child, so the score does not change until a sibling is added.
 */
export function nestInGroup(root: FactorNode, id: string, groupName: string): FactorNode {
  if (!canNest(root, id)) return root;
  const groupId = freshId(root, 'g');
  const { parent } = locate(root, id)!;
  return replaceNode(root, parent!.id, (node) => ({
    ...node,
    children: node.children!.map((child) => (child.id === id ? { id: groupId, name: groupName, weight: child.weight, children: [child] } : child)),
  }));
}

/** Removes a node and everything under it; the root stays. */
export function removeNode(root: FactorNode, id: string): FactorNode {
  const found = locate(root, id);
  if (!found || found.parent === null) return root;
  return replaceNode(root, found.parent.id, (parent) => ({ ...parent, children: parent.children!.filter((child) => child.id !== id) }));
}

/** Changes a node's own fields (name, weight, source, direction, scale); its id and children stay. */
export function updateNode(root: FactorNode, id: string, patch: Partial<Omit<FactorNode, 'id' | 'children'>>): FactorNode {
  if (!locate(root, id)) return root;
  return replaceNode(root, id, (node) => ({ ...node, ...patch }));
}

export function renameNode(root: FactorNode, id: string, name: string): FactorNode {
  return updateNode(root, id, { name });
}

export function reweightNode(root: FactorNode, id: string, weight: number): FactorNode {
  return updateNode(root, id, { weight });
}

/** Moves a node one place up (-1) or down (+1) among its siblings. */
export function moveNode(root: FactorNode, id: string, offset: -1 | 1): FactorNode {
  const found = locate(root, id);
  if (!found || found.parent === null) return root;
  const siblings = found.parent.children!;
  const from = siblings.findIndex((child) => child.id === id);
  const to = from + offset;
  if (to < 0 || to >= siblings.length) return root;
  const reordered = [...siblings];
  [reordered[from], reordered[to]] = [reordered[to], reordered[from]];
  return replaceNode(root, found.parent.id, (parent) => ({ ...parent, children: reordered }));
}

/** Renames duplicate ids (a tree typed by hand into the workbook may repeat one), so every edit finds one node. */
export function withUniqueIds(root: FactorNode): FactorNode {
  const seen = new Set<string>();
  let counter = 0;
  const visit = (node: FactorNode): FactorNode => {
    let id = typeof node.id === 'string' && node.id ? node.id : `n${++counter}`;
    while (seen.has(id)) id = `${node.id || 'n'}-${++counter}`;
    seen.add(id);
    const children = node.children?.map(visit);
    return id === node.id && (children === undefined || children.every((child, i) => child === node.children![i]))
      ? node
      : { ...node, id, ...(children ? { children } : {}) };
  };
  return visit(root);
}

/**
 * The starting tree with its names in the UI language (the engine's defaultFactorTree). Names are
 * the user's data (the Factors sheet shows them), so a Danish user starts from Danish names.
 */
export function defaultFactors(language: Language): FactorNode {
  return defaultFactorTree(language);
}

/** A source a leaf can read, for the source dropdown. */
export interface SourceOption {
  value: string;
  label: string;
  group: 'roles' | 'columns' | 'computed';
  /** False for a source the tree uses that cannot be read (kept so a restored tree shows what it asked for). */
  available: boolean;
  /** Why an unavailable source cannot be read: the table lacks it, or its column holds text. */
  unavailable?: 'missing' | 'notNumeric';
}

/** How many non-blank cells of a column decide whether it holds numbers: enough for a verdict, cheap on a million rows. */
const NUMERIC_SAMPLE = 1000;

/**
 * Whether a column holds numbers: at least half of its first NUMERIC_SAMPLE non-blank cells read
 * as numbers (with the decimal separator the column uses), so a few "n/a" cells do not hide a
 * column of numbers and a text column (gender, Yes/No, a country) is never offered as a factor.
 * Reads the cells without reporting problems, as the column may never be used.
 */
export function isNumericColumn(table: CustomerTable, column: number): boolean {
  const sample: CellValue[] = [];
  for (let i = 0; i < table.cells.length && sample.length < NUMERIC_SAMPLE; i++) {
    const cell = isBlankRow(table, i) ? null : table.cells[i]?.[column];
    if (cell !== null && cell !== undefined && !(typeof cell === 'string' && cell.trim() === '')) sample.push(cell);
  }
  const decimal = detectDecimalSeparator(sample);
  const numbers = sample.filter((cell) => parseNumber(cell, decimal) !== undefined).length;
  return numbers > 0 && numbers >= sample.length / 2;
}

/**
 * What a leaf can read from this table: the numeric roles that have a column, the true margin,
 * and by its header every other column that holds numbers; a column a role already names is
 * offered once, as the role, and a column of text (ids, names, gender, country) not at all:
 * categorical factors need a mapping of categories to numbers, which the tree does not have. A
 * source the tree uses that cannot be read is listed too, marked unavailable and why.
 */
export function sourceOptions(table: CustomerTable, language: Language, used: readonly string[] = []): SourceOption[] {
  const options: SourceOption[] = [];
  for (const role of ROLES) {
    if (role.kind !== 'number' || table.mapping[role.id] === undefined) continue;
    options.push({ value: `role:${role.id}`, label: role.label[language], group: 'roles', available: true });
  }
  options.push({ value: TRUE_MARGIN_SOURCE, label: sourceLabel(TRUE_MARGIN_SOURCE, language), group: 'computed', available: table.numbers.margin !== undefined || table.numbers.revenue !== undefined });
  const mapped = new Set(Object.values(table.mapping));
  const numeric = numericColumns(table);
  table.headers.forEach((header, column) => {
    const name = cellText(header).trim();
    if (!name || mapped.has(column) || !numeric[column]) return;
    options.push({ value: `column:${name}`, label: name, group: 'columns', available: true });
  });
  for (const source of used) {
    if (!source || options.some((option) => option.value === source)) continue;
    const [kind, ...rest] = source.split(':');
    const name = rest.join(':');
    const known = kind === 'role' && ROLES.some((role) => role.id === name);
    const label = known ? roleDefinition(name as RoleId).label[language] : kind === 'computed' ? sourceLabel(source, language) : name || source;
    const group = kind === 'role' ? 'roles' : kind === 'computed' ? 'computed' : 'columns';
    const column = kind === 'column' ? table.headers.findIndex((header) => normalizeHeader(header) === normalizeHeader(name)) : -1;
    // A column of numbers a role also names (a tree saved before the role was mapped) still reads.
    if (column >= 0 && numeric[column]) options.push({ value: source, label, group, available: true });
    else options.push({ value: source, label, group, available: false, unavailable: column >= 0 ? 'notNumeric' : 'missing' });
  }
  return options;
}

/** isNumericColumn for every column, worked out once per table: the editor asks on every edit. */
const numericCache = new WeakMap<CustomerTable, boolean[]>();

function numericColumns(table: CustomerTable): boolean[] {
  let numeric = numericCache.get(table);
  if (!numeric) numericCache.set(table, (numeric = table.headers.map((_, column) => isNumericColumn(table, column))));
  return numeric;
}

/** Every leaf's source in the tree, in order. */
export function usedSources(root: FactorNode): string[] {
  const sources: string[] = [];
  const visit = (node: FactorNode) => {
    if (isLeaf(node)) sources.push(node.source!);
    (node.children ?? []).forEach(visit);
  };
  visit(root);
  return sources;
}

/** A problem of one node, in the UI language. */
export interface NodeProblem {
  id: string;
  key: MessageKey;
  message: string;
}

const ISSUE_KEYS: Record<FactorIssueKind, MessageKey> = {
  noName: 'factorNeedsName',
  badWeight: 'factorBadWeight',
  tooDeep: 'factorTooDeep',
  rootLeaf: 'factorRootLeaf',
  badDirection: 'factorBadDirection',
  unknownScale: 'factorUnknownScale',
  badScale: 'factorBadScale',
  scaleOrder: 'factorScaleOrder',
};

/** What is wrong with each node, in words the user reads: the engine's checks, said in the UI language. */
export function treeProblems(root: FactorNode, language: Language): NodeProblem[] {
  return factorIssues(root).map((issue) => {
    const key = ISSUE_KEYS[issue.kind];
    return { id: issue.id, key, message: translate(language, key, { name: issue.name || '…', levels: MAX_FACTOR_DEPTH }) };
  });
}
