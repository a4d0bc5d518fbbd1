import { Button, Field, makeStyles, ProgressBar, tokens } from '@fluentui/react-components';
import type { Translate } from '../i18n';
import type { Busy } from '../state/useWorkflow';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  bar: { flexGrow: 1 },
});

/** Progress of the work under way (indeterminate while the total is unknown), and Cancel where it can stop. */
export function BusyBar(props: { t: Translate; busy: Busy; onCancel?: () => void }) {
  const { t, busy, onCancel } = props;
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <Field className={styles.bar} validationMessage={t(busy.key, busy.params)} validationState="none">
        <ProgressBar value={busy.value} thickness="large" />
      </Field>
      {busy.cancellable && onCancel && <Button size="small" onClick={onCancel}>{t('cancel')}</Button>}
    </div>
  );
}
