import { Button, Caption1, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { DataSetting, Language, Localized, SettingValue } from '../../engine';
import type { Translate } from '../i18n';
import { clusterNameRows, renamesOf, unappliedRenames, withClusterName, withoutUnapplied, type ClusterNameRow } from '../state/clusterNames';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  input: { width: '100%', minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, overflowWrap: 'anywhere' },
  footer: { display: 'flex', justifyContent: 'flex-end' },
});

/** One cluster's name field: kept as typed, stored when the field is left or Enter is pressed (a preview reruns on each store). */
function ClusterNameField(props: { t: Translate; language: Language; row: ClusterNameRow; onName: (text: string) => void }) {
  const { t, language, row, onName } = props;
  const styles = useStyles();
  const [text, setText] = useState(row.name);
  const commit = () => { if (text.trim() !== row.name) onName(text); };
  return (
    <Field label={t('clusterNameLabel', { cluster: row.cluster })} size="small"
      // Once renamed the placeholder is hidden: the generated name stays readable under the field.
      hint={row.name ? t('clusterNameGenerated', { name: row.generated[language] }) : undefined}>
      <Input className={styles.input} size="small" value={text} placeholder={row.generated[language]}
        onChange={(_, data) => setText(data.value)} onBlur={commit}
        onKeyDown={(event) => { if (event.key === 'Enter') commit(); }} />
    </Field>
  );
}

/**
 * Renaming the clusters of the clusters model: where a run is known (`generated`, its generated
 * names, cluster 1 first), one text field per cluster with the generated name as placeholder; an
 * empty field keeps the generated name. Without a run the renames kept are listed, and the
 * preview is where the clusters are seen. `value` is the model's `names` setting.
 */
export function ClusterNamesEditor(props: {
  t: Translate; language: Language; generated: readonly Localized[] | undefined; value: SettingValue | undefined;
  onChange: (names: DataSetting) => void;
}) {
  const { t, language, generated, value, onChange } = props;
  const styles = useStyles();
  if (!generated) {
    const kept = renamesOf(value);
    return (
      <div className={styles.root} data-testid="cluster-names">
        <Caption1 className={styles.muted}>{t('clusterNamesNoRun')}</Caption1>
        {kept.length > 0 && (
          <ul className={styles.list}>
            {kept.map((rename, index) => (
              <li key={index}><Caption1>{rename.generated
                ? t('clusterRenameOf', { name: rename.name, generated: rename.generated })
                : t('clusterRenameNumber', { name: rename.name, cluster: rename.cluster })}</Caption1></li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  const rows = clusterNameRows(generated, value);
  const unapplied = unappliedRenames(generated, value);
  return (
    <div className={styles.root} data-testid="cluster-names">
      <Caption1 className={styles.muted}>{t('clusterNamesCaption')}</Caption1>
      {rows.map((row) => (
        // Keyed by the generated name too: a rerun with other clusters starts the fields afresh.
        <ClusterNameField key={`${row.cluster}:${row.generated.en}`} t={t} language={language} row={row}
          onName={(text) => onChange(withClusterName(generated, value, row.cluster, text))} />
      ))}
      {unapplied.length > 0 && (
        <>
          <Caption1 className={styles.muted}>{t('clusterNamesUnapplied')}</Caption1>
          <ul className={styles.list} data-testid="cluster-names-unapplied">
            {unapplied.map((rename, index) => (
              <li key={index}><Caption1>{rename.generated
                ? t('clusterRenameOf', { name: rename.name, generated: rename.generated })
                : t('clusterRenameNumber', { name: rename.name, cluster: rename.cluster })}</Caption1></li>
            ))}
          </ul>
          <div className={styles.footer}>
            <Button size="small" appearance="subtle" onClick={() => onChange(withoutUnapplied(generated, value))}>{t('clusterNamesForget')}</Button>
          </div>
        </>
      )}
    </div>
  );
}
