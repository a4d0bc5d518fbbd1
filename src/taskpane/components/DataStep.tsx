import {
  Body1, Button, Caption1, Dropdown, Field, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Option, Subtitle2,
  Table, TableBody, TableCell, TableCellLayout, TableHeader, TableHeaderCell, TableRow, tokens,
} from '@fluentui/react-components';
import { cellText, columnLetter, ROLES, type Language, type RoleId } from '../../engine';
import { problemText, type Translate } from '../i18n';
import { logSheetChoices, logSummaryLines } from '../state/log';
import { roleOfColumn, tableAddress } from '../state/session';
import type { Workflow } from '../state/useWorkflow';

/** More problems than this are counted, not listed: the list is for finding and fixing them. */
const PROBLEMS_SHOWN = 50;
const NOT_USED = '';
const NO_LOG_SHEET = '';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  letter: { color: tokens.colorNeutralForeground3, minWidth: '2em', display: 'inline-block' },
  roleCell: { width: '55%' },
  role: { minWidth: '0', width: '100%' },
  problems: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  notes: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

export function DataStep(props: { t: Translate; language: Language; workflow: Workflow; office: boolean }) {
  const { t, language, workflow, office } = props;
  const styles = useStyles();
  const { snapshot, table, prepared } = workflow;
  const isLog = prepared?.input?.kind === 'log';
  const logLines = prepared?.input ? logSummaryLines(prepared.input, language) : null;
  // Another sheet of the workbook (a file, or the one open in Excel) may be the order log beside the customer table.
  const logChoices = snapshot && !isLog ? logSheetChoices(workflow.sheets, snapshot.sheetName) : [];
  const roleName = (role: RoleId | undefined) => (role ? ROLES.find((candidate) => candidate.id === role)!.label[language] : t('notUsed'));
  return (
    <section className={styles.root} aria-label={t('stepData')}>
      {office && (
        <div className={styles.root}>
          <Body1>{t('officeIntro')}</Body1>
          <div><Button appearance={snapshot ? 'secondary' : 'primary'} disabled={workflow.busy !== null} onClick={() => void workflow.readTable()}>{t('readTable')}</Button></div>
        </div>
      )}
      {snapshot && table && (
        <>
          <Body1 data-testid="table-found">
            {t(isLog ? 'logFound' : 'tableFound', { sheet: snapshot.sheetName, address: tableAddress(snapshot), rows: snapshot.rows.length, columns: snapshot.headers.length })}
            {snapshot.excelTableName ? ` (${t('excelTable', { name: snapshot.excelTableName })})` : ''}
          </Body1>
          {(snapshot.notes?.length ?? 0) > 0 && (
            <MessageBar intent="info" layout="multiline" data-testid="table-notes">
              <MessageBarBody>
                <MessageBarTitle>{t('tableNotesTitle')}</MessageBarTitle>
                <ul className={styles.notes}>
                  {snapshot.notes!.map((note, index) => <li key={index}><Caption1>{note.text[language]}</Caption1></li>)}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          {logChoices.length > 0 && (
            <Field label={t('logSheet')} hint={t('logSheetHint')}>
              <Dropdown
                value={workflow.logSheet?.snapshot.sheetName ?? t('logSheetNone')}
                selectedOptions={[workflow.logSheet?.snapshot.sheetName ?? NO_LOG_SHEET]}
                disabled={workflow.busy !== null}
                onOptionSelect={(_, data) => void workflow.chooseLogSheet(data.optionValue ? data.optionValue : null)}
              >
                <Option value={NO_LOG_SHEET}>{t('logSheetNone')}</Option>
                {logChoices.map((sheet) => <Option key={sheet} value={sheet}>{sheet}</Option>)}
              </Dropdown>
            </Field>
          )}
          {prepared?.error && (
            <MessageBar intent="error" layout="multiline" data-testid="log-error"><MessageBarBody>{prepared.error}</MessageBarBody></MessageBar>
          )}
          {logLines && (
            <MessageBar intent="info" layout="multiline" data-testid="log-summary">
              <MessageBarBody>
                <MessageBarTitle>{logLines[0]}</MessageBarTitle>
                {logLines.slice(1).map((line, index) => <div key={index}><Caption1>{line}</Caption1></div>)}
                {/* Which sheet rows were left out, and how much the credit notes took off: the engine's own words. */}
                {(prepared?.input?.notes.length ?? 0) > 1 && (
                  <details>
                    <summary><Caption1>{t('logNotesTitle')}</Caption1></summary>
                    <ul className={styles.notes}>
                      {prepared!.input!.notes.slice(1).map((note, index) => <li key={index}><Caption1>{note[language]}</Caption1></li>)}
                    </ul>
                  </details>
                )}
              </MessageBarBody>
            </MessageBar>
          )}
          <Subtitle2 as="h2">{t('columnsTitle')}</Subtitle2>
          <Table size="small" aria-label={t('columnsTitle')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('columnHeader')}</TableHeaderCell>
                <TableHeaderCell className={styles.roleCell}>{t('roleHeader')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {snapshot.headers.map((header, column) => {
                const headerText = cellText(header).trim();
                const role = roleOfColumn(workflow.mapping, column);
                return (
                  <TableRow key={column}>
                    <TableCell>
                      <TableCellLayout truncate>
                        <span className={styles.letter}>{columnLetter(snapshot.origin.firstColumn + column)}</span>{headerText}
                      </TableCellLayout>
                    </TableCell>
                    <TableCell className={styles.roleCell}>
                      <Dropdown
                        className={styles.role}
                        size="small"
                        aria-label={`${t('roleHeader')}: ${headerText}`}
                        value={roleName(role)}
                        selectedOptions={[role ?? NOT_USED]}
                        onOptionSelect={(_, data) => workflow.setRole(column, (data.optionValue || null) as RoleId | null)}
                      >
                        <Option value={NOT_USED}>{t('notUsed')}</Option>
                        {ROLES.map((candidate) => <Option key={candidate.id} value={candidate.id}>{candidate.label[language]}</Option>)}
                      </Dropdown>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          {table.problems.length === 0
            ? <Caption1>{t('noProblems')}</Caption1>
            : (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>{t('problemsTitle', { count: table.problems.length })}</MessageBarTitle>
                  <div className={styles.problems}>
                    <Caption1>{t('problemsIntro')}</Caption1>
                    <Table size="extra-small" aria-label={t('problemsTitle', { count: table.problems.length })}>
                      <TableBody>
                        {table.problems.slice(0, PROBLEMS_SHOWN).map((problem) => (
                          <TableRow key={`${problem.row}:${problem.columnLetter}`}>
                            <TableCell>{problemText(problem, language)}</TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                    {table.problems.length > PROBLEMS_SHOWN && <Caption1>{t('problemsMore', { count: table.problems.length - PROBLEMS_SHOWN })}</Caption1>}
                  </div>
                </MessageBarBody>
              </MessageBar>
            )}
        </>
      )}
    </section>
  );
}
