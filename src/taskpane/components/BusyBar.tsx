import { Field, ProgressBar } from '@fluentui/react-components';
import type { Translate } from '../i18n';
import type { Busy } from '../state/useWorkflow';

/** Progress of the work under way; indeterminate while the total is unknown. */
export function BusyBar(props: { t: Translate; busy: Busy }) {
  const { t, busy } = props;
  return (
    <Field validationMessage={t(busy.key, busy.params)} validationState="none">
      <ProgressBar value={busy.value} thickness="large" />
    </Field>
  );
}
