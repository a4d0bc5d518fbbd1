import {
  Caption1, makeStyles, mergeClasses, MessageBar, MessageBarBody, Subtitle2, Table, TableBody, TableCell, TableCellLayout,
  TableHeader, TableHeaderCell, TableRow, tokens,
} from '@fluentui/react-components';
import { useMemo } from 'react';
import type { CustomerTable, Language } from '../../engine';
import { formatLevel, formatNumber, formatShare, methodName, type Translate } from '../i18n';
import { chosenModels, previewModels, type ModelPreview, type Selection } from '../state/session';
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
  cuts: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

function ModelSummary(props: { t: Translate; language: Language; preview: ModelPreview }) {
  const { t, language, preview } = props;
  const styles = useStyles();
  const { model, result, lines, error } = preview;
  return (
    <div className={styles.model} data-testid={`preview-${model.id}`}>
      <Subtitle2 as="h3">{model.name[language]}</Subtitle2>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
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
                      <TableCellLayout media={tier ? <TierBadge tier={tier} /> : undefined}>
                        {/* The badge shows the tier's letter; the label's "A: " prefix would repeat it. */}
                        <Caption1>{tier ? tier.label[language].replace(/^[^:]+:\s*/, '') : t('noSegment')}</Caption1>
                      </TableCellLayout>
                    </TableCell>
                    <TableCell className={styles.number} data-testid="customers">{formatNumber(line.customers, language)}</TableCell>
                    <TableCell className={styles.number} data-testid="revenue">{formatNumber(line.revenue, language)}</TableCell>
                    <TableCell className={styles.number} data-testid="share">{formatShare(line.revenueShare, language)}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Caption1>{t('cutsUsed')}</Caption1>
          <ul className={styles.cuts}>
            {result.cuts.map((cut) => (
              <li key={cut.key} data-testid={`cut-${model.id}-${cut.key}`}>
                <Caption1>
                  {t('cutLine', {
                    label: cut.label[language], method: methodName(cut.spec.method, language),
                    level: formatLevel(cut.spec.level, language), value: formatNumber(cut.value, language),
                  })}
                </Caption1>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function PreviewStep(props: { t: Translate; language: Language; table: CustomerTable; selection: Selection }) {
  const { t, language, table, selection } = props;
  const styles = useStyles();
  const previews = useMemo(() => previewModels(table, chosenModels(selection), language), [table, selection, language]);
  return (
    <section className={styles.root} aria-label={t('stepPreview')}>
      <Subtitle2 as="h2">{t('previewTitle')}</Subtitle2>
      {previews.map((preview) => <ModelSummary key={preview.model.id} t={t} language={language} preview={preview} />)}
    </section>
  );
}
