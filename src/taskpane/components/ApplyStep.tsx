import {
  Body1, Button, Caption1, Field, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Subtitle2, Switch, tokens,
} from '@fluentui/react-components';
import type { Translate } from '../i18n';
import { resultFileName } from '../state/session';
import type { Workflow, WriteMode } from '../state/useWorkflow';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  written: { margin: 0, paddingLeft: tokens.spacingHorizontalL, wordBreak: 'break-all' },
});

export function ApplyStep(props: { t: Translate; workflow: Workflow; office: boolean }) {
  const { t, workflow, office } = props;
  const styles = useStyles();
  const busy = workflow.busy !== null;
  // Only Excel with the add-in can evaluate =SEGMENT.* functions; a downloaded file gets ordinary formulas or values.
  const mode: WriteMode = !office && workflow.mode === 'segmentkit' ? 'formulas' : workflow.mode;
  return (
    <section className={styles.root} aria-label={t('stepApply')}>
      <Subtitle2 as="h2">{t('applyTitle')}</Subtitle2>
      <Body1>{t('applyIntro')}</Body1>
      <Field label={t('writeAs')} hint={office ? t('formulasHint') : t('segmentKitNeedsExcel')}>
        <RadioGroup value={mode} onChange={(_, data) => workflow.setMode(data.value as WriteMode)} disabled={busy}>
          <Radio value="formulas" label={t('modeFormulas')} />
          <Radio value="segmentkit" label={t('modeSegmentKit')} disabled={!office} />
          <Radio value="values" label={t('modeValues')} />
        </RadioGroup>
      </Field>
      <Field hint={t('reasonsHint')}>
        <Switch checked={workflow.reasons} disabled={busy} label={t('reasonsColumn')}
          onChange={(_, data) => workflow.setReasons(data.checked)} />
      </Field>
      <div className={styles.buttons}>
        <Button appearance={workflow.written ? 'secondary' : 'primary'} disabled={busy} onClick={() => void workflow.apply()}>{t('applyButton')}</Button>
      </div>
      {workflow.written && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('applied')}</MessageBarTitle>
            <ul className={styles.written}>
              {workflow.written.map((range) => <li key={range}><Caption1>{range}</Caption1></li>)}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {workflow.written && workflow.file && (
        <div className={styles.buttons}>
          <Button appearance="primary" disabled={busy} onClick={() => void workflow.download()}>
            {t('download', { file: resultFileName(workflow.file.name) })}
          </Button>
        </div>
      )}
    </section>
  );
}
