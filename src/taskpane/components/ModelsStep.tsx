import {
  Accordion, AccordionHeader, AccordionItem, AccordionPanel, Caption1, Checkbox, CounterBadge, Dropdown, Field, Input, makeStyles,
  MessageBar, MessageBarBody, Option, OptionGroup, Subtitle2, tokens, useId,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import {
  candidateFeatures, CATALOG, CUT_METHODS, dateToSerial, serialToJsDate,
  type CustomerTable, type CutMethod, type CutSpec, type FactorNode, type Language, type ModelDefinition, type ModelSettings, type RfmGrid,
  type SettingDefinition, type SettingValue, type TermsTable,
} from '../../engine';
import { methodName, translate, type Translate } from '../i18n';
import {
  cutHint, cutOrderMessages, cutProblem, isSharedSetting, settingProblem, sharedSettingModels, unavailableText, type ModelSelection,
} from '../state/session';
import { formatInput, formatPercentInput, parseDecimal, parsePercent } from '../state/terms';
import type { Workflow } from '../state/useWorkflow';
import { clustersSeen } from '../state/clusterNames';
import { ClusterNamesEditor } from './ClusterNamesEditor';
import { FactorTreeEditor } from './FactorTreeEditor';
import { FeaturesEditor } from './FeaturesEditor';
import { RfmGridEditor } from './RfmGridEditor';
import { TermsEditor } from './TermsEditor';

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
  unit: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
  shared: { color: tokens.colorNeutralForeground3 },
  // A chosen model the table cannot support: it will be left out, which the user should see.
  unavailableChosen: { paddingLeft: '32px', color: tokens.colorPaletteRedForeground1 },
  number: { width: '100%', minWidth: 0 },
  // Editors of structured settings take the card's whole width: the pane is narrow.
  editors: { display: 'flex', flexDirection: 'column' },
  // The header lines up with the settings above it; the editor under it takes the card's whole width.
  editorToggle: { paddingLeft: '20px' },
  editorHeader: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  panel: { margin: 0, paddingBottom: tokens.spacingVerticalS },
});

function CutSetting(props: {
  language: Language; setting: Extract<SettingDefinition, { kind: 'cut' }>; label: string; spec: CutSpec; onChange: (spec: CutSpec) => void;
}) {
  const { language, setting, label, spec, onChange } = props;
  const styles = useStyles();
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(language, key, params);
  // The text is kept as typed, so "0," can become "0,85" without being reformatted under the cursor.
  const [text, setText] = useState(() => formatInput(spec.level, language));
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
            onChange({ ...spec, level: parseDecimal(data.value) });
          }}
        />
      </Field>
      {problem
        ? <Caption1 id={noteId} role="alert" className={styles.problem}>{problem}</Caption1>
        : <Caption1 id={noteId} className={styles.note}>{cutHint(setting, spec, language)}</Caption1>}
    </div>
  );
}

function NumberSetting(props: { language: Language; setting: Extract<SettingDefinition, { kind: 'number' }>; value: SettingValue; onChange: (value: number) => void }) {
  const { language, setting, value, onChange } = props;
  const styles = useStyles();
  // A fraction (a discount rate) is shown and typed as the percentage a user thinks in: 10 for 0.1.
  const shown = (number: number) => (setting.percent ? formatPercentInput(number, language) : formatInput(number, language));
  const [text, setText] = useState(() => (typeof value === 'number' ? shown(value) : ''));
  const problem = settingProblem(setting, value, language);
  return (
    <Field label={setting.label[language]} size="small" validationState={problem ? 'error' : 'none'} validationMessage={problem ?? undefined}>
      <Input className={styles.number} size="small" inputMode="decimal" value={text}
        contentAfter={setting.unit ? <Caption1 className={styles.unit}>{setting.unit[language]}</Caption1> : undefined}
        onChange={(_, data) => {
          setText(data.value);
          onChange(setting.percent ? parsePercent(data.value) : parseDecimal(data.value));
        }} />
    </Field>
  );
}

/** An Excel day as the date input writes it: "2025-03-01"; empty for 0 (today). */
function serialToIso(serial: number): string {
  return serial > 0 && Number.isFinite(serial) ? serialToJsDate(serial).toISOString().slice(0, 10) : '';
}

function isoToSerial(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? dateToSerial(Number(match[1]), Number(match[2]), Number(match[3])) : 0;
}

function DateSetting(props: { t: Translate; language: Language; setting: SettingDefinition; value: SettingValue; onChange: (value: number) => void }) {
  const { t, language, setting, value, onChange } = props;
  const styles = useStyles();
  const serial = typeof value === 'number' ? value : 0;
  return (
    <Field label={setting.label[language]} size="small" hint={serial ? undefined : (setting.kind === 'date' && setting.empty ? setting.empty[language] : t('dateEmptyToday'))}>
      <Input className={styles.number} size="small" type="date" value={serialToIso(serial)} onChange={(_, data) => onChange(isoToSerial(data.value))} />
    </Field>
  );
}

/** The prefix form a choice's value takes ('column:Nøglekunde' → the 'column:' entry), if any. */
function prefixedOf(setting: Extract<SettingDefinition, { kind: 'choice' }>, value: SettingValue) {
  return typeof value === 'string' ? setting.prefixed?.find(({ prefix }) => value.toLowerCase().startsWith(prefix.toLowerCase())) : undefined;
}

/**
 * A choice among options; where the setting allows a prefix form (twins' reference group
 * 'column:<header>'), that form is one more option, and choosing it asks for the rest: the
 * table's columns for 'column:' (yes/no columns first, as a flag column is one), else a text.
 */
function ChoiceSetting(props: {
  t: Translate; language: Language; setting: Extract<SettingDefinition, { kind: 'choice' }>; value: SettingValue; table: CustomerTable | null;
  onChange: (value: SettingValue) => void;
}) {
  const { t, language, setting, value, table, onChange } = props;
  const styles = useStyles();
  const prefixed = prefixedOf(setting, value);
  const selected = setting.options.find((option) => option.value === value);
  const shown = selected?.label[language] ?? prefixed?.label[language] ?? '';
  const rest = prefixed ? String(value).slice(prefixed.prefix.length).trim() : '';
  const problem = settingProblem(setting, value, language);
  return (
    <div className={styles.editors}>
      <Field label={setting.label[language]} size="small" validationState={problem && !prefixed ? 'error' : 'none'} validationMessage={prefixed ? undefined : problem ?? undefined}>
        <Dropdown size="small" value={shown} selectedOptions={[prefixed ? prefixed.prefix : String(value)]}
          onOptionSelect={(_, data) => {
            if (!data.optionValue || data.optionValue === (prefixed?.prefix ?? value)) return;
            onChange(data.optionValue);
          }}>
          {setting.options.map((option) => <Option key={option.value} value={option.value}>{option.label[language]}</Option>)}
          {(setting.prefixed ?? []).map((free) => <Option key={free.prefix} value={free.prefix}>{free.label[language]}</Option>)}
        </Dropdown>
      </Field>
      {prefixed && prefixed.prefix.toLowerCase() === 'column:' && table && (
        <FlagColumnChoice t={t} table={table} chosen={rest} problem={problem}
          onChange={(header) => onChange(`${prefixed.prefix}${header}`)} />
      )}
      {prefixed && !(prefixed.prefix.toLowerCase() === 'column:' && table) && (
        <Field label={prefixed.label[language]} size="small" validationState={problem ? 'error' : 'none'} validationMessage={problem ?? undefined}>
          <Input className={styles.number} size="small" value={rest} onChange={(_, data) => onChange(`${prefixed.prefix}${data.value}`)} />
        </Field>
      )}
    </div>
  );
}

/** The table's columns to pick a flag column from: the yes/no ones first, then the others. */
function FlagColumnChoice(props: { t: Translate; table: CustomerTable; chosen: string; problem: string | null; onChange: (header: string) => void }) {
  const { t, table, chosen, problem, onChange } = props;
  const styles = useStyles();
  const yesNo = useMemo(() => new Set(candidateFeatures(table).filter((column) => column.origin === 'table' && column.kind === 'boolean').map((column) => column.header)), [table]);
  const headers = table.headers.filter((header) => header.trim() !== '');
  const groups = [
    { key: 'yesNo', label: t('referenceYesNoColumns'), headers: headers.filter((header) => yesNo.has(header)) },
    { key: 'other', label: t('referenceOtherColumns'), headers: headers.filter((header) => !yesNo.has(header)) },
  ].filter((group) => group.headers.length > 0);
  return (
    <Field label={t('referenceColumn')} size="small" validationState={problem ? 'error' : 'none'} validationMessage={problem ?? undefined}>
      <Dropdown className={styles.method} size="small" value={chosen} selectedOptions={chosen ? [chosen] : []}
        onOptionSelect={(_, data) => data.optionValue && onChange(data.optionValue)}>
        {groups.map((group) => (
          <OptionGroup key={group.key} label={group.label}>
            {group.headers.map((header) => <Option key={header} value={header}>{header}</Option>)}
          </OptionGroup>
        ))}
      </Dropdown>
    </Field>
  );
}

function Setting(props: {
  t: Translate; language: Language; setting: SettingDefinition; value: SettingValue; table: CustomerTable | null; onChange: (value: SettingValue) => void;
}) {
  const { t, language, setting, value, table, onChange } = props;
  const label = setting.label[language];
  switch (setting.kind) {
    case 'cut':
      return <CutSetting language={language} setting={setting} label={label} spec={value as CutSpec} onChange={onChange} />;
    case 'choice':
      return <ChoiceSetting t={t} language={language} setting={setting} value={value} table={table} onChange={onChange} />;
    case 'number':
      return <NumberSetting language={language} setting={setting} value={value} onChange={onChange} />;
    case 'date':
      return <DateSetting t={t} language={language} setting={setting} value={value} onChange={onChange} />;
    case 'data':
      // Structured settings open in their own editor under the others (DataEditors).
      return null;
  }
}

const NO_HEADERS: readonly string[] = [];

/** A features setting as a list of headers (empty: every usable column). */
function featureList(value: SettingValue | undefined): readonly string[] {
  return Array.isArray(value) && value.every((header) => typeof header === 'string') ? value as string[] : NO_HEADERS;
}

/**
 * A model's feature list. What it leaves out and ticks by default reads every column of the table:
 * done again only when the table or a setting other than the list itself changes.
 */
function FeaturesPanel(props: {
  t: Translate; language: Language; model: ModelDefinition; table: CustomerTable; settings: ModelSettings; settingKey: string;
  onChange: (key: string, value: SettingValue) => void;
}) {
  const { t, language, model, table, settings, settingKey, onChange } = props;
  const others = JSON.stringify(Object.entries(settings).filter(([key]) => key !== settingKey));
  const { exclude, defaults } = useMemo(() => ({
    exclude: model.featureExclusions?.(table, settings) ?? NO_HEADERS,
    defaults: model.defaultFeatures?.(table, settings),
  // `others` stands for the settings that matter: a new settings object on every edit would redo it each time.
  }), [model, table, others]);
  return (
    <FeaturesEditor t={t} language={language} table={table} chosen={featureList(settings[settingKey])} exclude={exclude} defaults={defaults}
      onChange={(headers) => onChange(settingKey, headers)} />
  );
}

/** The terms table, the factor tree, the RFM grid, the feature list and the cluster names: each in a panel of its own that opens inside the model's card. */
function DataEditors(props: {
  t: Translate; language: Language; model: ModelDefinition; settings: ModelSettings; table: CustomerTable | null;
  onChange: (key: string, value: SettingValue) => void;
}) {
  const { t, language, model, settings, table, onChange } = props;
  const styles = useStyles();
  const data = model.settings.filter((setting) => setting.kind === 'data');
  if (data.length === 0) return null;
  return (
    <Accordion className={styles.editors} collapsible multiple>
      {data.map((setting) => {
        const problem = settingProblem(setting, settings[setting.key], language);
        return (
          <AccordionItem key={setting.key} value={setting.key}>
            <AccordionHeader size="small" className={styles.editorToggle}>
              <span className={styles.editorHeader}>
                {setting.label[language]}
                {problem && <CounterBadge size="small" color="danger" count={1} dot aria-label={problem} />}
              </span>
            </AccordionHeader>
            <AccordionPanel className={styles.panel}>
              {setting.editor === 'terms' && (
                <TermsEditor t={t} language={language} tiers={model.tiers} terms={settings[setting.key] as unknown as TermsTable}
                  onChange={(terms) => onChange(setting.key, terms)} />
              )}
              {setting.editor === 'rfmGrid' && (
                <RfmGridEditor t={t} language={language} grid={settings[setting.key] as unknown as RfmGrid} onChange={(grid) => onChange(setting.key, grid as unknown as SettingValue)} />
              )}
              {setting.editor === 'features' && table && (
                <FeaturesPanel t={t} language={language} model={model} table={table} settings={settings} settingKey={setting.key} onChange={onChange} />
              )}
              {setting.editor === 'clusterNames' && (
                <ClusterNamesEditor t={t} language={language} generated={table ? clustersSeen(table, settings) : undefined} value={settings[setting.key]}
                  onChange={(names) => onChange(setting.key, names)} />
              )}
              {setting.editor === 'factors' && table && (
                <FactorTreeEditor t={t} language={language} table={table} settings={settings}
                  onChange={(factors: FactorNode) => onChange(setting.key, factors)} />
              )}
              {problem && <Caption1 role="alert" className={styles.problem}>{problem}</Caption1>}
            </AccordionPanel>
          </AccordionItem>
        );
      })}
    </Accordion>
  );
}

function ModelCard(props: { t: Translate; language: Language; model: ModelDefinition; selection: ModelSelection; workflow: Workflow }) {
  const { t, language, model, selection, workflow } = props;
  const styles = useStyles();
  const unavailable = unavailableText(model, workflow.modelMapping, language, workflow.selection);
  const change = (key: string, value: SettingValue) =>
    workflow.updateModel(model.id, { settings: { ...selection.settings, [key]: value } });
  // A setting several chosen models share (the hourly rate) is shown once, in the first one's card, and sets them all.
  const shown = model.settings.filter((setting) => setting.kind !== 'data'
    && (!isSharedSetting(setting) || sharedSettingModels(workflow.selection, setting)[0]?.id === model.id));
  return (
    <div className={styles.model} data-testid={`model-${model.id}`}>
      <Checkbox
        checked={selection.enabled}
        // A model the table cannot support cannot be chosen; one chosen before a column was unmapped can still be unticked.
        disabled={unavailable !== null && !selection.enabled}
        label={<strong>{model.name[language]}</strong>}
        onChange={(_, data) => workflow.updateModel(model.id, { enabled: data.checked === true })}
      />
      <Caption1 className={styles.description}>{model.description[language]}</Caption1>
      {unavailable && (
        <Caption1 className={selection.enabled ? styles.unavailableChosen : styles.description} data-testid={`unavailable-${model.id}`}>
          {unavailable}
        </Caption1>
      )}
      {selection.enabled && (
        <div className={styles.settings}>
          {shown.map((setting) => {
            const sharedBy = isSharedSetting(setting) ? sharedSettingModels(workflow.selection, setting) : [];
            return (
              <div key={setting.key} className={styles.editors}>
                <Setting t={t} language={language} setting={setting} value={selection.settings[setting.key]} table={workflow.modelTable}
                  onChange={(value) => (sharedBy.length > 0 ? workflow.updateShared(setting, value) : change(setting.key, value))} />
                {sharedBy.length > 1 && (
                  <Caption1 className={styles.shared} data-testid={`shared-${setting.key}`}>
                    {t('sharedSetting', { models: sharedBy.map((other) => other.name[language]).join(', ') })}
                  </Caption1>
                )}
              </div>
            );
          })}
          {/* Each cut field checks itself; the order of two cuts is the engine's check over both. */}
          {cutOrderMessages(model, selection.settings, language).map((message) => (
            <MessageBar key={message} intent="error"><MessageBarBody>{message}</MessageBarBody></MessageBar>
          ))}
        </div>
      )}
      {selection.enabled && (
        <DataEditors t={t} language={language} model={model} settings={selection.settings} table={workflow.modelTable} onChange={change} />
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
