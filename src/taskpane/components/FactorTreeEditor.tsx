import {
  Button, Caption1, Caption1Strong, Dropdown, Field, Input, makeStyles, mergeClasses, MessageBar, MessageBarBody, Option, OptionGroup,
  Radio, RadioGroup, Subtitle2, Table, TableBody, TableCell, TableRow, tokens, Tree, TreeItem, TreeItemLayout,
} from '@fluentui/react-components';
import { useMemo, useState, type ReactNode } from 'react';
import {
  factorShares, flattenTree, getModel, isLeaf, LEAF_SCALES, leafScale, type CustomerTable, type FactorNode, type Language, type LeafScale,
  type ModelSettings,
} from '../../engine';
import { formatNumber, formatShare, type Translate } from '../i18n';
import {
  addChild, canAdd, canNest, defaultFactors, freshId, locate, moveNode, nestInGroup, newGroup, removeNode, sourceOptions, suggestedFactor,
  treeProblems, updateNode, usedSources, type NodeProblem, type SourceOption,
} from '../state/factorTree';
import { scorePreview } from '../state/session';
import { formatInput, parseDecimal } from '../state/terms';
import { useDebounced } from '../state/useDebounced';
import { rowLabel } from '../state/why';
import { TierBadge } from './TierBadge';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  tree: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, paddingTop: tokens.spacingVerticalXXS, paddingBottom: tokens.spacingVerticalXXS },
  selected: { backgroundColor: tokens.colorBrandBackground2, ':hover': { backgroundColor: tokens.colorBrandBackground2Hover } },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  leftOut: { color: tokens.colorNeutralForeground4, fontStyle: 'italic' },
  invalid: { color: tokens.colorPaletteRedForeground1 },
  aside: { fontVariantNumeric: 'tabular-nums', color: tokens.colorNeutralForeground2, whiteSpace: 'nowrap' },
  details: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground2,
  },
  pair: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', columnGap: tokens.spacingHorizontalS, alignItems: 'start' },
  full: { width: '100%', minWidth: 0 },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  preview: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  tiers: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  tier: { display: 'inline-flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  number: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', width: '56px' },
});

const DIRECTIONS = ['higher', 'lower'] as const;
/** Up to this many rows the live rating follows every keystroke; above, it waits for a pause in the typing. */
const PREVIEW_AT_ONCE_ROWS = 10_000;

/** The node's share of the score, or a dash when the engine leaves it out. */
function shareText(share: number | undefined, language: Language): string {
  return share ? formatShare(share, language) : '–';
}

function SourceDropdown(props: { t: Translate; options: SourceOption[]; value: string; label: string; onChange: (source: string, label: string) => void }) {
  const { t, options, value, label, onChange } = props;
  const styles = useStyles();
  const selected = options.find((option) => option.value === value);
  const groups: { key: SourceOption['group']; title: string }[] = [
    { key: 'roles', title: t('sourceRoles') }, { key: 'computed', title: t('sourceComputed') }, { key: 'columns', title: t('sourceColumns') },
  ];
  const text = (option: SourceOption) => (option.available ? option.label
    : t(option.unavailable === 'notNumeric' ? 'sourceNotNumeric' : 'sourceMissing', { source: option.label }));
  const warning = selected && !selected.available ? t(selected.unavailable === 'notNumeric' ? 'sourceNotNumericHint' : 'sourceNotInTable') : undefined;
  return (
    <Field label={label} size="small" validationState={warning ? 'warning' : 'none'} validationMessage={warning}>
      <Dropdown className={styles.full} size="small" value={selected ? text(selected) : ''} selectedOptions={[value]}
        onOptionSelect={(_, data) => {
          const chosen = options.find((option) => option.value === data.optionValue);
          if (chosen) onChange(chosen.value, chosen.label);
        }}>
        {groups.map((group) => {
          const members = options.filter((option) => option.group === group.key);
          return members.length === 0 ? null : (
            <OptionGroup key={group.key} label={group.title}>
              {members.map((option) => <Option key={option.value} value={option.value} text={text(option)}>{text(option)}</Option>)}
            </OptionGroup>
          );
        })}
      </Dropdown>
    </Field>
  );
}

/** The selected node's fields and the edits that act on it. Keyed by node, so its typed numbers start afresh for each node. */
function NodeDetails(props: {
  t: Translate; language: Language; root: FactorNode; node: FactorNode; share: number | undefined; options: SourceOption[];
  problems: NodeProblem[]; onChange: (root: FactorNode, select?: string) => void;
}) {
  const { t, language, root, node, share, options, problems, onChange } = props;
  const styles = useStyles();
  const [texts, setTexts] = useState(() => ({
    weight: formatInput(node.weight, language), min: formatInput(node.min ?? NaN, language), max: formatInput(node.max ?? NaN, language),
  }));
  const located = locate(root, node.id);
  const isRoot = located?.parent === null;
  const leaf = isLeaf(node);
  // New nodes go into the selected group, or next to the selected factor.
  const target = leaf || !located ? located?.parent?.id : node.id;
  const siblings = located?.parent?.children ?? [];
  const position = siblings.findIndex((child) => child.id === node.id);
  const scale = leaf ? leafScale(node) : undefined;
  const update = (patch: Partial<FactorNode>) => onChange(updateNode(root, node.id, patch));
  const typeNumber = (field: 'weight' | 'min' | 'max', text: string) => {
    setTexts((current) => ({ ...current, [field]: text }));
    const value = parseDecimal(text);
    update({ [field]: field !== 'weight' && text.trim() === '' ? null : value });
  };
  const add = (kind: 'factor' | 'group') => {
    if (!target) return;
    // A new factor reads a column of numbers the tree does not read yet, with its siblings' mean weight.
    const child = kind === 'factor' ? suggestedFactor(root, target, options) : newGroup(freshId(root, 'g'), t('newGroupName'));
    if (child) onChange(addChild(root, target, child), child.id);
  };
  const problem = problems.map((entry) => entry.message).join(' ');
  const weightProblem = problems.some((entry) => entry.key === 'factorBadWeight');
  return (
    <div className={styles.details} role="group" aria-label={t(leaf ? 'factorDetails' : 'groupDetails', { name: node.name })}>
      <Caption1Strong>{t(leaf ? 'factorDetails' : 'groupDetails', { name: node.name || '…' })}</Caption1Strong>
      <div className={isRoot ? undefined : styles.pair}>
        <Field label={t('factorName')} size="small" validationState={node.name.trim() ? 'none' : 'error'}>
          <Input className={styles.full} size="small" value={node.name} onChange={(_, data) => update({ name: data.value })} />
        </Field>
        {!isRoot && (
          <Field label={t('factorWeight')} size="small" validationState={weightProblem ? 'error' : 'none'}
            hint={t('shareOfScore', { share: shareText(share, language) })}>
            <Input className={styles.full} size="small" inputMode="decimal" value={texts.weight}
              onChange={(_, data) => typeNumber('weight', data.value)} />
          </Field>
        )}
      </div>
      {leaf && (
        <>
          <SourceDropdown t={t} options={options} value={node.source ?? ''} label={t('factorSource')}
            onChange={(source, label) => {
              const previous = options.find((option) => option.value === node.source);
              // A name that only repeated the old source follows the new one.
              const renamed = !node.name.trim() || node.name === previous?.label;
              update({ source, ...(renamed ? { name: label } : {}) });
            }} />
          <Field label={t('factorDirection')} size="small">
            <RadioGroup layout="horizontal" value={node.direction ?? 'higher'} onChange={(_, data) => update({ direction: data.value as 'higher' | 'lower' })}>
              {DIRECTIONS.map((direction) => <Radio key={direction} value={direction} label={t(`direction_${direction}`)} />)}
            </RadioGroup>
          </Field>
          <Field label={t('factorScale')} size="small" hint={t(`scaleHint_${scale!}`)}>
            <RadioGroup layout="horizontal" value={scale} onChange={(_, data) => update({ scale: data.value as LeafScale })}>
              {LEAF_SCALES.map((option) => <Radio key={option} value={option} label={t(`scale_${option}`)} />)}
            </RadioGroup>
          </Field>
          {scale === 'fixed' && (
            <div className={styles.pair}>
              <Field label={t('scaleMin')} size="small">
                <Input className={styles.full} size="small" inputMode="decimal" placeholder={t('scaleFromDataMin')} value={texts.min}
                  onChange={(_, data) => typeNumber('min', data.value)} />
              </Field>
              <Field label={t('scaleMax')} size="small">
                <Input className={styles.full} size="small" inputMode="decimal" placeholder={t('scaleFromDataMax')} value={texts.max}
                  onChange={(_, data) => typeNumber('max', data.value)} />
              </Field>
            </div>
          )}
        </>
      )}
      {problem && <Caption1 role="alert" className={styles.invalid}>{problem}</Caption1>}
      <div className={styles.buttons}>
        <Button size="small" disabled={!target || !canAdd(root, target, 'factor') || !options.some((option) => option.available)} onClick={() => add('factor')}>{t('addFactor')}</Button>
        <Button size="small" disabled={!target || !canAdd(root, target, 'group')} onClick={() => add('group')}>{t('addGroup')}</Button>
        {!isRoot && (
          <>
            <Button size="small" disabled={!canNest(root, node.id)}
              onClick={() => { const next = nestInGroup(root, node.id, t('newGroupName')); onChange(next, locate(next, node.id)?.parent?.id); }}>
              {t('nestInGroup')}
            </Button>
            <Button size="small" disabled={position <= 0} onClick={() => onChange(moveNode(root, node.id, -1))}>{t('moveUp')}</Button>
            <Button size="small" disabled={position < 0 || position >= siblings.length - 1} onClick={() => onChange(moveNode(root, node.id, 1))}>{t('moveDown')}</Button>
            <Button size="small" onClick={() => onChange(removeNode(root, node.id), located?.parent?.id)}>{t('removeFactor')}</Button>
          </>
        )}
      </div>
    </div>
  );
}

/**
 * The deep-dive rating's factor tree: the tree with each node's weight and share of the score,
 * the selected node's fields and edits under it, what the engine leaves out, and a live preview of
 * the rating with the tree as it stands.
 */
export function FactorTreeEditor(props: {
  t: Translate; language: Language; table: CustomerTable; settings: ModelSettings; onChange: (factors: FactorNode) => void;
}) {
  const { t, language, table, settings, onChange } = props;
  const styles = useStyles();
  const root = settings.factors as unknown as FactorNode;
  const [selectedId, setSelectedId] = useState<string>(() => root.children?.[0]?.id ?? root.id);
  const [closed, setClosed] = useState<ReadonlySet<string>>(() => new Set());
  // Bumped by Reset, so the selected node's typed numbers are shown afresh even if the same node stays selected.
  const [generation, setGeneration] = useState(0);
  const hourlyRate = typeof settings.hourlyRate === 'number' && Number.isFinite(settings.hourlyRate) ? settings.hourlyRate : 0;
  const shares = useMemo(() => factorShares(root, flattenTree(table, root, hourlyRate)), [table, root, hourlyRate]);
  const options = useMemo(() => sourceOptions(table, language, usedSources(root)), [table, language, root]);
  const problems = useMemo(() => treeProblems(root, language), [root, language]);
  // The rating over the whole table follows the edits once typing pauses, so typing stays quick on big tables.
  const settled = useDebounced(settings, table.rowCount > PREVIEW_AT_ONCE_ROWS ? 250 : 0);
  const preview = useMemo(() => scorePreview(table, settled), [table, settled]);
  const model = getModel('score');
  const selected = locate(root, selectedId)?.node ?? root;

  const change = (next: FactorNode, select?: string) => {
    if (select) {
      setSelectedId(select);
      // A node just added is shown, even inside a group the user had closed.
      const parent = locate(next, select)?.parent;
      if (parent && closed.has(parent.id)) setClosed((current) => new Set([...current].filter((id) => id !== parent.id)));
    }
    onChange(next);
  };

  const renderNode = (node: FactorNode): ReactNode => {
    const leaf = isLeaf(node);
    const share = shares.get(node);
    const nodeProblems = problems.some((problem) => problem.id === node.id);
    return (
      <TreeItem key={node.id} value={node.id} itemType={leaf ? 'leaf' : 'branch'} aria-selected={node.id === selected.id}
        onClick={(event) => { event.preventDefault(); setSelectedId(node.id); }}>
        <TreeItemLayout className={mergeClasses(node.id === selected.id && styles.selected)}
          aside={<span className={styles.aside}>{`${formatInput(node.weight, language, 2) || '?'} · ${shareText(share, language)}`}</span>}>
          <span className={mergeClasses(styles.name, !share && styles.leftOut, nodeProblems && styles.invalid)}>
            {node.name || '…'}{leaf && node.direction === 'lower' ? ' ↓' : ''}
          </span>
        </TreeItemLayout>
        {!leaf && (node.children ?? []).length > 0 && <Tree>{node.children!.map(renderNode)}</Tree>}
      </TreeItem>
    );
  };

  const openItems = useMemo(() => {
    const open: string[] = [];
    const visit = (node: FactorNode) => { if (!isLeaf(node) && !closed.has(node.id)) open.push(node.id); (node.children ?? []).forEach(visit); };
    visit(root);
    return open;
  }, [root, closed]);

  return (
    <div className={styles.root} data-testid="factor-editor">
      <Caption1>{t('factorsIntro')}</Caption1>
      <Tree className={styles.tree} size="small" aria-label={t('factorTree')} openItems={openItems}
        onOpenChange={(_, data) => {
          // Only the chevron opens and closes a group; a click on the name selects it.
          if (data.type !== 'ExpandIconClick' && data.type !== 'ArrowLeft' && data.type !== 'ArrowRight') return;
          const id = String(data.value);
          setClosed((current) => (data.open ? new Set([...current].filter((other) => other !== id)) : new Set([...current, id])));
        }}>
        <TreeItem value={root.id} itemType="branch" aria-selected={root.id === selected.id}
          onClick={(event) => { event.preventDefault(); setSelectedId(root.id); }}>
          <TreeItemLayout className={mergeClasses(root.id === selected.id && styles.selected)}
            aside={<span className={styles.aside}>{t('weightShareHeader')}</span>}>
            <strong>{root.name || '…'}</strong>
          </TreeItemLayout>
          <Tree>{(root.children ?? []).map(renderNode)}</Tree>
        </TreeItem>
      </Tree>
      <NodeDetails key={`${selected.id}-${language}-${generation}`} t={t} language={language} root={root} node={selected} share={shares.get(selected)}
        options={options} problems={problems.filter((problem) => problem.id === selected.id)} onChange={change} />
      {problems.length > 0 && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <ul className={styles.list}>{problems.map((problem, index) => <li key={index}><Caption1>{problem.message}</Caption1></li>)}</ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {preview && preview.notes.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <ul className={styles.list} data-testid="factor-notes">
              {preview.notes.map((note, index) => <li key={index}><Caption1>{note[language]}</Caption1></li>)}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.buttons}>
        <Button size="small" onClick={() => {
          const defaults = defaultFactors(language);
          setSelectedId(defaults.children?.[0]?.id ?? defaults.id);
          setClosed(new Set());
          setGeneration((current) => current + 1);
          onChange(defaults);
        }}>
          {t('resetDefaults')}
        </Button>
      </div>
      <div className={styles.preview} aria-live="polite" data-testid="score-preview">
        <Subtitle2 as="h4">{t('livePreview')}</Subtitle2>
        {!preview && <Caption1>{t('livePreviewBlocked')}</Caption1>}
        {preview && (
          <>
            <div className={styles.tiers}>
              {preview.tiers.map((line) => (
                <span key={line.tierIndex} className={styles.tier} data-testid={`score-preview-${line.tierIndex >= 0 ? model.tiers[line.tierIndex].id : 'none'}`}>
                  {line.tierIndex >= 0 ? <TierBadge tier={model.tiers[line.tierIndex]} language={language} /> : <Caption1>{t('noSegment')}:</Caption1>}
                  <Caption1>{formatNumber(line.customers, language)}</Caption1>
                </span>
              ))}
            </div>
            {preview.top.length > 0 && (
              <Table size="extra-small" aria-label={t('topCustomers')}>
                <TableBody>
                  {preview.top.map((entry, index) => (
                    <TableRow key={entry.row}>
                      <TableCell><Caption1>{`${index + 1}. ${rowLabel(table, entry.row, language)}`}</Caption1></TableCell>
                      <TableCell className={styles.number}><Caption1>{formatNumber(entry.score, language, 1)}</Caption1></TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </>
        )}
      </div>
    </div>
  );
}
