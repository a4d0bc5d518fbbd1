import {
  Body1, Body1Strong, Caption1, Combobox, makeStyles, mergeClasses, MessageBar, MessageBarBody, Option, Subtitle2, Table, TableBody,
  TableCell, TableHeader, TableHeaderCell, TableRow, tokens,
} from '@fluentui/react-components';
import { useDeferredValue, useMemo, useState } from 'react';
import type { CustomerTable, Language, ModelSettings } from '../../engine';
import { clusterFitOf, formatAmount, inputsNotes, tierMeaning } from '../../engine';
import { formatLevel, formatNumber, formatShare, methodName, type Translate } from '../i18n';
import { holdoutPreview } from '../state/holdout';
import { rememberClusters } from '../state/clusterNames';
import { chosenModels, previewModels, type ModelPreview, type Selection } from '../state/session';
import { metricText, rowLabel, ROW_OPTIONS_SHOWN, searchRows } from '../state/why';
import { ClusterNamesEditor } from './ClusterNamesEditor';
import { TierBadge } from './TierBadge';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  model: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // Fixed widths for the numbers (up to 13 characters of revenue); the segment label takes the rest and wraps.
  number: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', paddingLeft: tokens.spacingHorizontalXS, paddingRight: tokens.spacingHorizontalXS },
  numberHeader: { justifyContent: 'flex-end' },
  customers: { width: '72px' },
  revenue: { width: '108px' },
  share: { width: '56px' },
  segmentCell: { paddingLeft: tokens.spacingHorizontalXS },
  segmentStack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: '2px', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS },
  cuts: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  why: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium,
  },
  picker: { width: '100%', minWidth: 0 },
  whyModel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, paddingTop: tokens.spacingVerticalXS, borderTop: `1px solid ${tokens.colorNeutralStroke3}` },
  whyTier: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  metrics: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', columnGap: tokens.spacingHorizontalM, margin: 0 },
  metricPair: { display: 'contents' },
  metricLabel: { color: tokens.colorNeutralForeground3, margin: 0 },
  metricValue: { margin: 0, textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  holdout: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  names: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, padding: tokens.spacingVerticalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium,
  },
});

/** The clv holdout check: predicted against actual repeat purchases per customer, by calibration repeat purchases, and the total. */
function HoldoutTable(props: { language: Language; preview: ModelPreview }) {
  const { language, preview } = props;
  const styles = useStyles();
  const holdout = holdoutPreview(preview.result, language);
  if (!holdout) return null;
  return (
    <div className={styles.holdout} data-testid={`holdout-${preview.model.id}`}>
      <Caption1>{holdout.title}</Caption1>
      <Table size="extra-small" aria-label={holdout.title}>
        <TableHeader>
          <TableRow>
            {holdout.columns.map((label, column) => (
              <TableHeaderCell key={column} className={column > 0 ? styles.number : styles.segmentCell} button={column > 0 ? { className: styles.numberHeader } : undefined}>
                <Caption1>{label}</Caption1>
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {holdout.rows.map((cells, row) => (
            <TableRow key={row}>
              {cells.map((cell, column) => <TableCell key={column} className={column > 0 ? styles.number : styles.segmentCell}><Caption1>{cell}</Caption1></TableCell>)}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Caption1 data-testid={`holdout-${preview.model.id}-total`}>{holdout.total}</Caption1>
    </div>
  );
}

/** A segment's words under its badge: a cluster's name (generated or given), else what the tier means. */
function segmentText(preview: ModelPreview, tierIndex: number, language: Language): string | null {
  if (tierIndex < 0) return null;
  const fit = preview.result ? clusterFitOf(preview.result) : undefined;
  return fit?.names[tierIndex]?.[language] ?? tierMeaning(preview.model.tiers[tierIndex], language);
}

function ModelSummary(props: {
  t: Translate; language: Language; preview: ModelPreview; settings: ModelSettings; onSettingsChange?: (settings: ModelSettings) => void;
}) {
  const { t, language, preview, settings, onSettingsChange } = props;
  const styles = useStyles();
  const { model, result, lines, error } = preview;
  const fit = result ? clusterFitOf(result) : undefined;
  return (
    <div className={styles.model} data-testid={`preview-${model.id}`}>
      <Subtitle2 as="h3">{model.name[language]}</Subtitle2>
      {error && <MessageBar intent="warning" data-testid={`preview-${model.id}-unavailable`}><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {result && (
        <>
          <Table size="small" aria-label={model.name[language]}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.segmentCell}>{t('segment')}</TableHeaderCell>
                <TableHeaderCell className={mergeClasses(styles.number, styles.customers)} button={{ className: styles.numberHeader }}>{t('customers')}</TableHeaderCell>
                <TableHeaderCell className={mergeClasses(styles.number, styles.revenue)} button={{ className: styles.numberHeader }}>{t('revenue')}</TableHeaderCell>
                <TableHeaderCell className={mergeClasses(styles.number, styles.share)} button={{ className: styles.numberHeader }}>{t('share')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {lines.map((line) => {
                const tier = line.tierIndex >= 0 ? model.tiers[line.tierIndex] : null;
                return (
                  <TableRow key={line.tierIndex} data-testid={`preview-${model.id}-${tier ? tier.id : 'none'}`}>
                    <TableCell className={styles.segmentCell}>
                      {/* The badge over the label, so tiers with long names ("Bronze") leave the label room to read. */}
                      <div className={styles.segmentStack}>
                        {tier && <TierBadge tier={tier} language={language} />}
                        {/* The badge shows the tier's name; the label's "A: " prefix would repeat it. */}
                        <Caption1>{segmentText(preview, line.tierIndex, language) ?? t('noSegment')}</Caption1>
                      </div>
                    </TableCell>
                    <TableCell className={styles.number} data-testid="customers">{formatNumber(line.customers, language)}</TableCell>
                    <TableCell className={styles.number} data-testid="revenue">{formatNumber(line.revenue, language)}</TableCell>
                    <TableCell className={styles.number} data-testid="share">{formatShare(line.revenueShare, language)}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          {fit && onSettingsChange && (
            <section className={styles.names} aria-label={t('clusterNamesTitle')}>
              <Body1Strong>{t('clusterNamesTitle')}</Body1Strong>
              <ClusterNamesEditor t={t} language={language} generated={fit.generatedNames} value={settings.names}
                onChange={(names) => onSettingsChange({ ...settings, names })} />
            </section>
          )}
          {result.cuts.length > 0 && (
            <>
              <Caption1>{t('cutsUsed')}</Caption1>
              <ul className={styles.cuts}>
                {result.cuts.map((cut) => (
                  <li key={cut.key} data-testid={`cut-${model.id}-${cut.key}`}>
                    <Caption1>
                      {t('cutLine', {
                        label: cut.label[language], method: methodName(cut.spec.method, language),
                        level: formatLevel(cut.spec.level, language), value: formatAmount(cut.value, language),
                      })}
                    </Caption1>
                    {/* A tie that moved the split gets a line of its own under the cut it moved. */}
                    {cut.tie && <><br /><Caption1 data-testid={`tie-${model.id}-${cut.key}`}>{cut.tie[language]}</Caption1></>}
                  </li>
                ))}
              </ul>
            </>
          )}
          <HoldoutTable language={language} preview={preview} />
          {/* What the model read and what it took as absent, as the Summary sheet says it. */}
          <Caption1>{t('inputsTitle')}</Caption1>
          <ul className={styles.cuts} data-testid={`inputs-${model.id}`}>
            {inputsNotes(result.inputs).map((note, index) => <li key={index}><Caption1>{note[language]}</Caption1></li>)}
          </ul>
          {result.notes.length > 0 && (
            <>
              <Caption1>{t('notesTitle')}</Caption1>
              <ul className={styles.cuts} data-testid={`notes-${model.id}`}>
                {result.notes.map((note, index) => <li key={index}><Caption1>{note[language]}</Caption1></li>)}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}

/** For one customer, what each chosen model made of it and why, with the model's numbers for that row. */
function WhyPanel(props: { t: Translate; language: Language; table: CustomerTable; previews: ModelPreview[] }) {
  const { t, language, table, previews } = props;
  const styles = useStyles();
  const [query, setQuery] = useState('');
  const [row, setRow] = useState<number | null>(null);
  // Filtering a big table follows the typing a moment later instead of holding up each key.
  const deferredQuery = useDeferredValue(query);
  // While the box shows the chosen customer, the list offers the others as well, not just that one.
  const searched = row !== null && deferredQuery === rowLabel(table, row, language) ? '' : deferredQuery;
  const matches = useMemo(() => searchRows(table, searched, ROW_OPTIONS_SHOWN), [table, searched]);
  const results = previews.filter((preview) => preview.result);
  return (
    <section className={styles.why} aria-label={t('whyTitle')} data-testid="why-panel">
      <Subtitle2 as="h3">{t('whyTitle')}</Subtitle2>
      <Combobox
        className={styles.picker}
        aria-label={t('whyPick')}
        placeholder={t('whyPlaceholder')}
        freeform
        value={query}
        selectedOptions={row === null ? [] : [String(row)]}
        onChange={(event) => setQuery(event.target.value)}
        onOptionSelect={(_, data) => {
          if (data.optionValue === undefined) return;
          const chosen = Number(data.optionValue);
          setRow(chosen);
          setQuery(rowLabel(table, chosen, language));
        }}
      >
        {matches.map((match) => {
          const label = rowLabel(table, match, language);
          return <Option key={match} value={String(match)} text={label}>{label}</Option>;
        })}
        {matches.length === 0 && <Option disabled value="" text={t('whyNoMatch')}>{t('whyNoMatch')}</Option>}
      </Combobox>
      {matches.length === ROW_OPTIONS_SHOWN && row === null && <Caption1>{t('whyFirstMatches', { count: ROW_OPTIONS_SHOWN })}</Caption1>}
      {row !== null && row < table.rowCount && results.map(({ model, result }) => {
        const tierIndex = result!.tiers[row];
        const tier = tierIndex >= 0 ? model.tiers[tierIndex] : null;
        const metrics = result!.metrics.map((metric) => ({ metric, text: metricText(metric, row, language) })).filter((entry) => entry.text !== null);
        return (
          <div key={model.id} className={styles.whyModel} data-testid={`why-${model.id}`}>
            <Body1Strong>{model.name[language]}</Body1Strong>
            <div className={styles.whyTier}>
              {tier ? <TierBadge tier={tier} language={language} /> : null}
              <Caption1>{tier ? tierMeaning(tier, language) : t('noSegment')}</Caption1>
            </div>
            <Body1 data-testid={`why-${model.id}-reason`}>{result!.explain(row)[language] || t('noSegment')}</Body1>
            {metrics.length > 0 && (
              <dl className={styles.metrics}>
                {metrics.map(({ metric, text }) => (
                  <div key={metric.key} className={styles.metricPair}>
                    <dt className={styles.metricLabel}><Caption1>{metric.label[language]}</Caption1></dt>
                    <dd className={styles.metricValue}><Caption1>{text}</Caption1></dd>
                  </div>
                ))}
              </dl>
            )}
          </div>
        );
      })}
    </section>
  );
}

/**
 * The Preview step: each chosen model run on the table, its segments counted, its cuts, columns
 * and notes; the clusters can be renamed here (`onSettingsChange` stores a model's new settings;
 * without it the preview only shows).
 */
export function PreviewStep(props: {
  t: Translate; language: Language; table: CustomerTable; selection: Selection; onSettingsChange?: (modelId: string, settings: ModelSettings) => void;
}) {
  const { t, language, table, selection, onSettingsChange } = props;
  const styles = useStyles();
  const previews = useMemo(() => {
    const run = previewModels(table, chosenModels(selection), language);
    // The names panel on the Models step offers the clusters this preview found.
    for (const preview of run) if (preview.result) rememberClusters(table, selection[preview.model.id].settings, preview.result);
    return run;
  }, [table, selection, language]);
  return (
    <section className={styles.root} aria-label={t('stepPreview')}>
      <Subtitle2 as="h2">{t('previewTitle')}</Subtitle2>
      {previews.map((preview) => (
        <ModelSummary key={preview.model.id} t={t} language={language} preview={preview} settings={selection[preview.model.id].settings}
          onSettingsChange={onSettingsChange && ((settings) => onSettingsChange(preview.model.id, settings))} />
      ))}
      {previews.some((preview) => preview.result) && <WhyPanel t={t} language={language} table={table} previews={previews} />}
    </section>
  );
}
