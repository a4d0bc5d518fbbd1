import { Body1, Button, Dropdown, Field, makeStyles, Option, Subtitle2, tokens } from '@fluentui/react-components';
import { useRef } from 'react';
import type { Translate } from '../i18n';
import type { Workflow } from '../state/useWorkflow';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  hidden: { display: 'none' },
});

/** The browser version's source: an .xlsx file the user picks, or the bundled sample workbook. */
export function OpenWorkbook(props: { t: Translate; workflow: Workflow }) {
  const { t, workflow } = props;
  const styles = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const busy = workflow.busy !== null;
  const picker = (
    <input
      ref={input}
      className={styles.hidden}
      type="file"
      accept=".xlsx,.xlsm,.csv,.tsv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel.sheet.macroEnabled.12,text/csv"
      data-testid="file-input"
      onChange={(event) => {
        const chosen = event.target.files?.[0];
        event.target.value = '';
        if (chosen) void workflow.openFile(chosen);
      }}
    />
  );
  if (workflow.file) {
    return (
      <div className={styles.root}>
        {picker}
        <Body1>{t('fileLabel', { name: workflow.file.name })}</Body1>
        {workflow.file.sheets.length > 1 && (
          <Field label={t('sheet')}>
            <Dropdown
              value={workflow.file.sheet}
              selectedOptions={[workflow.file.sheet]}
              disabled={busy}
              onOptionSelect={(_, data) => data.optionValue && workflow.chooseSheet(data.optionValue)}
            >
              {workflow.file.sheets.map((sheet) => <Option key={sheet} value={sheet}>{sheet}</Option>)}
            </Dropdown>
          </Field>
        )}
        <div className={styles.buttons}>
          <Button size="small" disabled={busy} onClick={() => input.current?.click()}>{t('openOther')}</Button>
        </div>
      </div>
    );
  }
  return (
    <div className={styles.root}>
      {picker}
      <Subtitle2 as="h2">{t('openTitle')}</Subtitle2>
      <Body1>{t('openIntro')}</Body1>
      <div className={styles.buttons}>
        <Button appearance="primary" disabled={busy} onClick={() => input.current?.click()}>{t('chooseFile')}</Button>
        <Button disabled={busy} onClick={() => void workflow.openSample()}>{t('useSample')}</Button>
      </div>
    </div>
  );
}
