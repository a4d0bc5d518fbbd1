import { Button, Caption1, Dropdown, makeStyles, Option, tokens } from '@fluentui/react-components';
import { DEFAULT_RFM_GRID, type Language, type RfmGrid, type RfmTierId } from '../../engine';
import type { Translate } from '../i18n';
import { breakableName, rfmSegments, setGridCell } from '../state/log';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // Five columns share the card's width (about 60 px each at 380 px): the segment names wrap inside their cells.
  grid: { display: 'grid', gridTemplateColumns: '28px repeat(5, minmax(0, 1fr))', gap: '3px', alignItems: 'stretch' },
  axis: { display: 'flex', alignItems: 'center', justifyContent: 'center', color: tokens.colorNeutralForeground3, fontVariantNumeric: 'tabular-nums' },
  cell: { minWidth: 0, width: '100%', height: '100%' },
  // The trigger shows the whole name in small type, on the segment's own colour, and no chevron: there is no room for one.
  trigger: {
    minHeight: '40px', height: '100%', padding: '2px 3px', whiteSpace: 'normal', overflowWrap: 'anywhere', hyphens: 'manual',
    textAlign: 'center', justifyContent: 'center', fontSize: tokens.fontSizeBase100, lineHeight: tokens.lineHeightBase100,
  },
  listbox: { minWidth: '190px' },
  swatch: { display: 'inline-block', width: '10px', height: '10px', borderRadius: '2px', marginRight: tokens.spacingHorizontalS, flexShrink: 0 },
  footer: { display: 'flex', justifyContent: 'flex-end' },
});

/** R scores top down (5 = bought most recently, as the usual segment maps draw it), F scores left to right. */
const R_SCORES = [5, 4, 3, 2, 1] as const;
const F_SCORES = [1, 2, 3, 4, 5] as const;

/**
 * RFM's R × F grid: 25 cells, each a dropdown of the segment names in the UI language, coloured as
 * the segment is on the sheet. The grid is a setting like the terms table: kept with the model's
 * settings and saved in the workbook when applied.
 */
export function RfmGridEditor(props: { t: Translate; language: Language; grid: RfmGrid; onChange: (grid: RfmGrid) => void }) {
  const { t, language, grid, onChange } = props;
  const styles = useStyles();
  const segments = rfmSegments(language);
  return (
    <div className={styles.root} data-testid="rfm-grid-editor">
      <Caption1>{t('rfmGridCaption')}</Caption1>
      <div className={styles.grid} role="group" aria-label={t('rfmGridCaption')}>
        <span className={styles.axis}><Caption1>R\F</Caption1></span>
        {F_SCORES.map((f) => <span key={f} className={styles.axis}><Caption1>F {f}</Caption1></span>)}
        {R_SCORES.map((r) => [
          <span key={`r${r}`} className={styles.axis}><Caption1>R {r}</Caption1></span>,
          ...F_SCORES.map((f) => {
            const id = grid?.[r - 1]?.[f - 1] as RfmTierId | undefined;
            const segment = segments.find((candidate) => candidate.id === id);
            return (
              <Dropdown
                key={`${r}-${f}`}
                className={styles.cell}
                size="small"
                aria-label={`${t('rfmGridCell', { r, f })}: ${segment?.name ?? ''}`}
                value={segment ? breakableName(segment.name) : ''}
                selectedOptions={id ? [id] : []}
                expandIcon={null}
                button={{ className: styles.trigger, style: segment ? { backgroundColor: segment.tier.fill, color: segment.tier.font } : undefined }}
                listbox={{ className: styles.listbox }}
                onOptionSelect={(_, data) => data.optionValue && onChange(setGridCell(grid, r, f, data.optionValue as RfmTierId))}
              >
                {segments.map((candidate) => (
                  <Option key={candidate.id} value={candidate.id} text={candidate.name}>
                    <span className={styles.swatch} style={{ backgroundColor: candidate.tier.fill }} aria-hidden />
                    {candidate.name}
                  </Option>
                ))}
              </Dropdown>
            );
          }),
        ])}
      </div>
      <div className={styles.footer}>
        <Button size="small" onClick={() => onChange(structuredClone(DEFAULT_RFM_GRID))}>{t('resetDefaults')}</Button>
      </div>
    </div>
  );
}
