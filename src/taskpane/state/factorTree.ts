import {
  cellText, DEFAULT_FACTORS, factorIssues, isLeaf, MAX_FACTOR_DEPTH, ROLES, roleDefinition, sourceLabel, TRUE_MARGIN_SOURCE,
  type CustomerTable, type FactorIssueKind, type FactorNode, type Language, type RoleId,
} from '../../engine';
import { hasMessage, translate, type MessageKey } from '../i18n';

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

/** A new leaf: higher is better, on the data's own scale, weight 1 among its siblings until reweighted. */
export function newFactor(id: string, name: string, source: string): FactorNode {
  return { id, name, weight: 1, source, direction: 'higher', min: null, max: null };
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
 * The starting tree with its names in the UI language. Names are the user's data (the Factors
 * sheet shows them), so a Danish user starts from Danish names: factors are named after their
 * source, groups by the pane's dictionary; an id the pane does not know keeps the engine's name.
 */
export function defaultFactors(language: Language): FactorNode {
  const tree = structuredClone(DEFAULT_FACTORS);
  if (language === 'en') return tree;
  const rename = (node: FactorNode): FactorNode => {
    const key = `factorGroup_${node.id}` as MessageKey;
    const name = isLeaf(node)
      ? sourceLabel(node.source!, language)
      : hasMessage(key) ? translate(language, key) : node.name;
    return { ...node, name, ...(node.children ? { children: node.children.map(rename) } : {}) };
  };
  return rename(tree);
}

/** A source a leaf can read, for the source dropdown. */
export interface SourceOption {
  value: string;
  label: string;
  group: 'roles' | 'columns' | 'computed';
  /** False for a source the table does not have (kept so a restored tree shows what it asked for). */
  available: boolean;
}

/**
 * What a leaf can read from this table: the numeric roles that have a column, the true margin,
 * and every column by its header (except the ones holding ids, names and owners). A source the
 * tree uses that the table lacks is listed too, marked unavailable.
 */
export function sourceOptions(table: CustomerTable, language: Language, used: readonly string[] = []): SourceOption[] {
  const options: SourceOption[] = [];
  for (const role of ROLES) {
    if (role.kind !== 'number' || table.mapping[role.id] === undefined) continue;
    options.push({ value: `role:${role.id}`, label: role.label[language], group: 'roles', available: true });
  }
  options.push({ value: TRUE_MARGIN_SOURCE, label: sourceLabel(TRUE_MARGIN_SOURCE, language), group: 'computed', available: table.numbers.margin !== undefined || table.numbers.revenue !== undefined });
  const textColumns = new Set(ROLES.filter((role) => role.kind === 'text').map((role) => table.mapping[role.id]));
  table.headers.forEach((header, column) => {
    const name = cellText(header).trim();
    if (!name || textColumns.has(column)) return;
    options.push({ value: `column:${name}`, label: name, group: 'columns', available: true });
  });
  for (const source of used) {
    if (!source || options.some((option) => option.value === source)) continue;
    const [kind, ...rest] = source.split(':');
    const name = rest.join(':');
    const known = kind === 'role' && ROLES.some((role) => role.id === name);
    const label = known ? roleDefinition(name as RoleId).label[language] : kind === 'computed' ? sourceLabel(source, language) : name || source;
    options.push({ value: source, label, group: kind === 'role' ? 'roles' : kind === 'computed' ? 'computed' : 'columns', available: false });
  }
  return options;
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
