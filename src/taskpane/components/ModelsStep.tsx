import {
  Caption1, Checkbox, Dropdown, Field, Input, makeStyles, MessageBar, MessageBarBody, Option, Subtitle2, tokens, useId,
} from '@fluentui/react-components';
import { useState } from 'react';
import { CATALOG, CUT_METHODS, type CutMethod, type CutSpec, type Language, type ModelDefinition, type SettingDefinition, type SettingValue } from '../../engine';
import { formatLevel, methodName, translate, type Translate } from '../i18n';
import { cutProblem, missingRoles, type ModelSelection } from '../state/session';
import type { Workflow } from '../state/useWorkflow';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  model: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium,
  },
  description: { paddingLeft: '32px' },
  settings: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingLeft: '32px' },
  cut: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 88px', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXXS },
  method: { minWidth: '0' },
  level: { minWidth: '0', width: '100%' },
  // The hint or the problem spans both controls, under them, where there is room to read it.
  note: { gridColumn: '1 / span 2' },
  problem: { gridColumn: '1 / span 2', color: tokens.colorPaletteRedForeground1 },
});

/** Reads a level as typed in either language: "0,8" and "0.8" are the same. */
function parseLevel(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? NaN : Number(trimmed);
}

function CutSetting(props: { language: Language; label: string; spec: CutSpec; onChange: (spec: CutSpec) => void }) {
  const { language, label, spec, onChange } = props;
  const styles = useStyles();
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(language, key, params);
  // The text is kept as typed, so "0," can become "0,85" without being reformatted under the cursor.
  const [text, setText] = useState(() => formatLevel(spec.level, language));
  const problem = cutProblem(spec, language);
  const noteId = useId('cut-note');
  return (
    <div className={styles.cut} role="group" aria-label={label}>
      <Field label={`${label}: ${t('cutMethod')}`} size="small">
        <Dropdown
          className={styles.method}
          size="small"
          value={methodName(spec.method, language)}
          selectedOptions={[spec.method]}
          onOptionSelect={(_, data) => data.optionValue && onChange({ ...spec, method: data.optionValue as CutMethod })}
        >
          {CUT_METHODS.map((method) => <Option key={method} value={method}>{methodName(method, language)}</Option>)}
        </Dropdown>
      </Field>
      <Field label={t('cutLevel')} size="small" validationState={problem ? 'error' : 'none'}>
        <Input
          className={styles.level}
          aria-describedby={noteId}
          aria-invalid={problem !== null}
          size="small"
          inputMode="decimal"
          value={text}
          aria-label={`${label}: ${t('cutLevel')}`}
          onChange={(_, data) => {
            setText(data.value);
            onChange({ ...spec, level: parseLevel(data.value) });
          }}
        />
      </Field>
      {problem
        ? <Caption1 id={noteId} role="alert" className={styles.problem}>{problem}</Caption1>
        : <Caption1 id={noteId} className={styles.note}>{t(`levelHint_${spec.method}`)}</Caption1>}
    </div>
  );
}

function Setting(props: { language: Language; setting: SettingDefinition; value: SettingValue; onChange: (value: SettingValue) => void }) {
  const { language, setting, value, onChange } = props;
  const label = setting.label[language];
  switch (setting.kind) {
    case 'cut':
      return <CutSetting language={language} label={label} spec={value as CutSpec} onChange={onChange} />;
    case 'choice': {
      const selected = setting.options.find((option) => option.value === value);
      return (
        <Field label={label} size="small">
          <Dropdown size="small" value={selected?.label[language] ?? ''} selectedOptions={[String(value)]}
            onOptionSelect={(_, data) => data.optionValue && onChange(data.optionValue)}>
            {setting.options.map((option) => <Option key={option.value} value={option.value}>{option.label[language]}</Option>)}
          </Dropdown>
        </Field>
      );
    }
    case 'number':
      return (
        <Field label={label} size="small">
          <Input size="small" type="number" min={setting.min} max={setting.max} value={String(value)}
            onChange={(_, data) => onChange(parseLevel(data.value))} />
        </Field>
      );
  }
}

function ModelCard(props: { t: Translate; language: Language; model: ModelDefinition; selection: ModelSelection; workflow: Workflow }) {
  const { t, language, model, selection, workflow } = props;
  const styles = useStyles();
  const missing = missingRoles(model, workflow.mapping, language);
  const change = (key: string, value: SettingValue) =>
    workflow.updateModel(model.id, { settings: { ...selection.settings, [key]: value } });
  return (
    <div className={styles.model}>
      <Checkbox
        checked={selection.enabled}
        label={<strong>{model.name[language]}</strong>}
        onChange={(_, data) => workflow.updateModel(model.id, { enabled: data.checked === true })}
      />
      <Caption1 className={styles.description}>{model.description[language]}</Caption1>
      {selection.enabled && missing.length > 0 && (
        <MessageBar intent="warning"><MessageBarBody>{t('needsColumns', { roles: missing.join(', ') })}</MessageBarBody></MessageBar>
      )}
      {selection.enabled && (
        <div className={styles.settings}>
          {model.settings.map((setting) => (
            <Setting key={setting.key} language={language} setting={setting} value={selection.settings[setting.key]}
              onChange={(value) => change(setting.key, value)} />
          ))}
        </div>
      )}
    </div>
  );
}

export function ModelsStep(props: { t: Translate; language: Language; workflow: Workflow }) {
  const { t, language, workflow } = props;
  const styles = useStyles();
  const none = CATALOG.every((model) => !workflow.selection[model.id].enabled);
  return (
    <section className={styles.root} aria-label={t('stepModels')}>
      <Subtitle2 as="h2">{t('modelsTitle')}</Subtitle2>
      {CATALOG.map((model) => (
        // Keyed by language too, so typed levels are shown again with the new decimal separator.
        <ModelCard key={`${model.id}-${language}`} t={t} language={language} model={model} selection={workflow.selection[model.id]} workflow={workflow} />
      ))}
      {none && <MessageBar intent="info"><MessageBarBody>{t('noModelChosen')}</MessageBarBody></MessageBar>}
    </section>
  );
}
