import {
  Accordion, AccordionHeader, AccordionItem, AccordionPanel, Body1, Button, Caption1, Field, makeStyles, MessageBar, MessageBarBody,
  MessageBarTitle, Radio, RadioGroup, Subtitle2, Switch, tokens,
} from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { Language } from '../../engine';
import { SHEET_NAMES } from '../../workbook/plan';
import type { Translate } from '../i18n';
import { resultFileName } from '../state/session';
import type { Workflow, WriteMode } from '../state/useWorkflow';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  written: { margin: 0, paddingLeft: tokens.spacingHorizontalL, wordBreak: 'break-all' },
  result: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, outline: 'none' },
});

/**
 * What Apply did, first on the step: the result, the download (browser version), then the ranges
 * written, folded, since a run with several models writes a dozen of them. It takes the focus
 * when it appears, so a screen reader hears the result and the page does not jump to its top.
 */
function AppliedResult(props: { t: Translate; workflow: Workflow; written: string[] }) {
  const { t, workflow, written } = props;
  const styles = useStyles();
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => {
    region.current?.focus();
    // scrollIntoView is absent where there is no layout (jsdom): then there is nothing to scroll.
    region.current?.scrollIntoView?.({ block: 'nearest' });
  }, [written]);
  return (
    <div ref={region} className={styles.result} tabIndex={-1} role="status" data-testid="apply-result">
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t('applied')}</MessageBarTitle>
          {t('appliedCount', { count: written.length })}
        </MessageBarBody>
      </MessageBar>
      {workflow.file && (
        <div className={styles.buttons}>
          <Button appearance="primary" disabled={workflow.busy !== null} onClick={() => void workflow.download()}>
            {t('download', { file: resultFileName(workflow.file.name) })}
          </Button>
        </div>
      )}
      <Accordion collapsible>
        <AccordionItem value="ranges">
          <AccordionHeader size="small">{t('writtenRanges', { count: written.length })}</AccordionHeader>
          <AccordionPanel>
            <ul className={styles.written}>
              {written.map((range) => <li key={range}><Caption1>{range}</Caption1></li>)}
            </ul>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </div>
  );
}

export function ApplyStep(props: { t: Translate; language: Language; workflow: Workflow; office: boolean }) {
  const { t, language, workflow, office } = props;
  const styles = useStyles();
  const busy = workflow.busy !== null;
  // Only Excel with the add-in can evaluate =SEGMENT.* functions; a downloaded file gets ordinary formulas or values.
  const mode: WriteMode = !office && workflow.mode === 'segmentkit' ? 'formulas' : workflow.mode;
  return (
    <section className={styles.root} aria-label={t('stepApply')}>
      <Subtitle2 as="h2">{t('applyTitle')}</Subtitle2>
      {workflow.written && <AppliedResult t={t} workflow={workflow} written={workflow.written} />}
      {/* A log gets its customers on a sheet of their own; the log itself keeps every cell. */}
      <Body1>{workflow.prepared?.input?.kind === 'log' ? t('applyIntroLog', { sheet: SHEET_NAMES.customers[language] }) : t('applyIntro')}</Body1>
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
    </section>
  );
}
