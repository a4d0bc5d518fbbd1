import {
  Button, Caption1, FluentProvider, makeStaticStyles, makeStyles, MessageBar, MessageBarBody, Tab, TabList, tokens, webLightTheme,
} from '@fluentui/react-components';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Language } from '../engine';
import { ApplyStep } from './components/ApplyStep';
import { BusyBar } from './components/BusyBar';
import { DataStep } from './components/DataStep';
import { Header } from './components/Header';
import { ModelsStep } from './components/ModelsStep';
import { OpenWorkbook } from './components/OpenWorkbook';
import { PreviewStep } from './components/PreviewStep';
import type { Environment } from './environment';
import { translator, type MessageKey } from './i18n';
import { selectionReady } from './state/session';
import { useWorkflow } from './state/useWorkflow';

const STEPS = ['data', 'models', 'preview', 'apply'] as const;
type Step = (typeof STEPS)[number];
const STEP_LABELS: Record<Step, MessageKey> = { data: 'stepData', models: 'stepModels', preview: 'stepPreview', apply: 'stepApply' };

// Headings are Fluent Text components rendered as h1–h3; the browser's default margins would double the gaps.
const useStaticStyles = makeStaticStyles({ 'h1, h2, h3': { margin: 0 } });

const useStyles = makeStyles({
  // Layout lives on a div inside the provider: Fluent copies the provider's classes to its portals.
  page: { minHeight: '100vh', display: 'flex', flexDirection: 'column' },
  // At desktop width (the browser version) a line as wide as the window puts values far from their
  // labels: the pane keeps a reading width and centres it.
  body: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL, flexGrow: 1,
    width: '100%', maxWidth: '720px', boxSizing: 'border-box', alignSelf: 'center',
  },
  // The four steps fit one line at 380 px in both languages ("Forhåndsvisning" is long): tight
  // tab padding instead of a second line holding one tab.
  tabs: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, flexWrap: 'nowrap', '& > button': { paddingLeft: '6px', paddingRight: '6px' } },
  step: { outline: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  nav: {
    // Back and Next line up with the centred steps at desktop width.
    display: 'flex', justifyContent: 'space-between', padding: `${tokens.spacingVerticalS} max(${tokens.spacingHorizontalL}, calc((100% - 720px) / 2 + ${tokens.spacingHorizontalL}))`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`, position: 'sticky', bottom: 0, backgroundColor: tokens.colorNeutralBackground1,
  },
  note: { color: tokens.colorNeutralForeground3 },
});

export interface AppProps {
  environment: Environment;
  initialLanguage: Language;
}

export function App({ environment, initialLanguage }: AppProps) {
  useStaticStyles();
  const styles = useStyles();
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [step, setStep] = useState<Step>('data');
  const t = useMemo(() => translator(language), [language]);
  const workflow = useWorkflow(environment, language);
  const office = environment.kind === 'office';

  useEffect(() => { document.documentElement.lang = language; }, [language]);
  // In Excel the table around the selection is read at once; the user can read again after selecting another.
  useEffect(() => {
    if (office) void workflow.readTable();
    // Only on start: later reads are the user's.
  }, []);

  const ready = workflow.snapshot !== null;
  const modelsReady = ready && selectionReady(workflow.selection, workflow.modelMapping);
  const enabled: Record<Step, boolean> = { data: true, models: ready, preview: modelsReady, apply: modelsReady };
  const index = STEPS.indexOf(step);
  const next = STEPS[index + 1];
  const previous = STEPS[index - 1];
  // A step can lose its prerequisites (a model unticked, another file opened): fall back to Data.
  const current: Step = enabled[step] ? step : 'data';
  const stepRegion = useRef<HTMLDivElement>(null);
  // A new step opens at its top, not at the scroll position the last one was left at, and takes
  // the focus, so the keyboard and screen readers start there too.
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    window.scrollTo(0, 0);
    stepRegion.current?.focus({ preventScroll: true });
  }, [current]);

  return (
    <FluentProvider theme={webLightTheme}>
      <div className={styles.page}>
        <Header t={t} language={language} onLanguage={setLanguage} />
        <main className={styles.body}>
          {!office && <Caption1 className={styles.note}>{t('browserMode')}</Caption1>}
          {!office && <OpenWorkbook t={t} workflow={workflow} />}
          {ready && (
            <TabList className={styles.tabs} size="small" selectedValue={current} onTabSelect={(_, data) => setStep(data.value as Step)}>
              {STEPS.map((candidate) => (
                <Tab key={candidate} value={candidate} disabled={!enabled[candidate]}>{t(STEP_LABELS[candidate])}</Tab>
              ))}
            </TabList>
          )}
          {workflow.failureText && <MessageBar intent="error" layout="multiline"><MessageBarBody>{workflow.failureText}</MessageBarBody></MessageBar>}
          {workflow.busy && <BusyBar t={t} busy={workflow.busy} onCancel={workflow.cancel} />}
          <div ref={stepRegion} className={styles.step} tabIndex={-1} data-testid="step">
            {current === 'data' && (office || ready) && <DataStep t={t} language={language} workflow={workflow} office={office} />}
            {current === 'models' && <ModelsStep t={t} language={language} workflow={workflow} />}
            {current === 'preview' && workflow.modelTable && <PreviewStep t={t} language={language} table={workflow.modelTable} selection={workflow.selection}
              onSettingsChange={(modelId, settings) => workflow.updateModel(modelId, { settings })} />}
            {current === 'apply' && <ApplyStep t={t} language={language} workflow={workflow} office={office} />}
          </div>
        </main>
        {ready && (
          <nav className={styles.nav} aria-label={t('steps')}>
            <Button disabled={!previous} onClick={() => previous && setStep(previous)}>{t('back')}</Button>
            <Button appearance="primary" disabled={!next || !enabled[next]} onClick={() => next && setStep(next)}>{t('next')}</Button>
          </nav>
        )}
      </div>
    </FluentProvider>
  );
}
