import { Button, Caption1, Checkbox, makeStyles, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import { candidateFeatures, type CustomerTable, type Language } from '../../engine';
import type { Translate } from '../i18n';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  heading: { marginTop: tokens.spacingVerticalS, fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  // The kind or the reason under the column's name, in small type, wrapping at 380 px.
  detail: { color: tokens.colorNeutralForeground3, marginLeft: '32px', marginTop: '-6px', overflowWrap: 'anywhere' },
  leftOut: { display: 'flex', flexDirection: 'column', gap: '2px', color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  problem: { color: tokens.colorPaletteRedForeground1 },
  footer: { display: 'flex', justifyContent: 'flex-end' },
});

/**
 * The feature list of the churn, clusters and twins models: every usable column with what it
 * becomes ("category, 3 levels"), ticked when used, and the columns left out with why
 * (identifier, free text, too many levels, mostly blank). The setting is a list of headers; an
 * empty list means every usable column, so a new column in the table is used without asking.
 */
export function FeaturesEditor(props: {
  t: Translate; language: Language; table: CustomerTable; chosen: readonly string[]; exclude: readonly string[];
  /** The model's own choice for the empty list where it is not every usable column (clusters: number and date columns). */
  defaults?: readonly string[];
  onChange: (headers: string[]) => void;
}) {
  const { t, language, table, chosen, exclude, defaults, onChange } = props;
  const styles = useStyles();
  // Keyed on the excluded headers' text: the caller makes a new list on every render, and
  // analysing every column of a big table again on each keystroke elsewhere would be felt.
  const excluded = exclude.join('\u0000');
  const candidates = useMemo(() => candidateFeatures(table, { exclude: excluded ? excluded.split('\u0000') : [] }), [table, excluded]);
  const usable = candidates.filter((candidate) => candidate.usable);
  const leftOut = candidates.filter((candidate) => !candidate.usable);
  const all = chosen.length === 0;
  const isChosen = (header: string) => (all ? !defaults || defaults.includes(header) : chosen.includes(header));
  const byDefault = usable.map((candidate) => candidate.header).filter((header) => !defaults || defaults.includes(header));
  const toggle = (header: string, on: boolean) => {
    const current = usable.map((candidate) => candidate.header).filter(isChosen);
    const next = on ? [...current, header] : current.filter((name) => name !== header);
    // The model's default choice ticked again is kept as the empty list, so a new column is used without asking.
    const same = next.length === byDefault.length && byDefault.every((name) => next.includes(name));
    onChange(same ? [] : usable.map((candidate) => candidate.header).filter((name) => next.includes(name)));
  };
  const none = usable.every((candidate) => !isChosen(candidate.header));
  // The last ticked column stays ticked: an empty choice would read as "the model's own choice" again.
  const onlyOne = usable.filter((candidate) => isChosen(candidate.header)).length === 1;
  return (
    <div className={styles.root} data-testid="features-editor">
      <Caption1>{t(defaults ? 'featuresCaptionDefaults' : 'featuresCaption')}</Caption1>
      <Caption1 className={styles.heading}>{t('featuresUsable', { count: usable.length })}</Caption1>
      {usable.map((candidate) => (
        <div key={`${candidate.origin}:${candidate.column}`} className={styles.row}>
          <Checkbox size="medium" label={candidate.header} checked={isChosen(candidate.header)}
            disabled={onlyOne && isChosen(candidate.header)}
            onChange={(_, data) => toggle(candidate.header, data.checked === true)} />
          <Caption1 className={styles.detail}>{candidate.why[language]}</Caption1>
        </div>
      ))}
      {none && <Caption1 role="alert" className={styles.problem}>{t('featuresNone')}</Caption1>}
      {leftOut.length > 0 && (
        <>
          <Caption1 className={styles.heading}>{t('featuresLeftOut', { count: leftOut.length })}</Caption1>
          <div className={styles.leftOut}>
            {leftOut.map((candidate) => (
              <Caption1 key={`${candidate.origin}:${candidate.column}`}>{candidate.header}: {candidate.why[language]}</Caption1>
            ))}
          </div>
        </>
      )}
      {!all && (
        <div className={styles.footer}>
          <Button size="small" appearance="subtle" onClick={() => onChange([])}>{t(defaults ? 'featuresDefault' : 'featuresAll')}</Button>
        </div>
      )}
    </div>
  );
}
