import {
  Button, CounterBadge, Dropdown, Field, Input, makeStyles, Option, Switch, Tab, TabList, Table, TableBody, TableCell, TableRow, tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import {
  DEFAULT_TERMS, MEETING_FREQUENCIES, MEETING_LABELS, SERVICE_LEVEL_LABELS, SERVICE_LEVELS, TERMS_FIELDS, tierName, VALUE_TIER_IDS,
  type Language, type MeetingFrequency, type ServiceLevel, type TermsTable, type TierDefinition, type ValueTierId,
} from '../../engine';
import type { Translate } from '../i18n';
import {
  formatInput, formatPercentInput, parseDecimal, parsePercent, setTermsField, termsFieldProblems, type NumericTermsKey,
} from '../state/terms';
import { TierBadge } from './TierBadge';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  tabs: { flexWrap: 'wrap' },
  tabContent: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  label: { width: '42%', verticalAlign: 'middle', paddingLeft: 0, whiteSpace: 'normal', overflowWrap: 'anywhere' },
  control: { paddingRight: 0, paddingTop: tokens.spacingVerticalXXS, paddingBottom: tokens.spacingVerticalXXS },
  input: { width: '100%', minWidth: 0 },
  dropdown: { width: '100%', minWidth: 0 },
  unit: { color: tokens.colorNeutralForeground3 },
  footer: { display: 'flex', justifyContent: 'flex-end' },
});

type NumericField = { key: NumericTermsKey; percent: boolean };

const NUMERIC: readonly NumericField[] = [
  { key: 'discount', percent: true }, { key: 'paymentDays', percent: false }, { key: 'invoiceFee', percent: false }, { key: 'queuePriority', percent: false },
];

function textsOf(terms: TermsTable, language: Language): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const tier of VALUE_TIER_IDS) {
    for (const { key, percent } of NUMERIC) {
      const value = terms[tier]?.[key];
      texts[`${tier}.${key}`] = typeof value !== 'number' ? '' : percent ? formatPercentInput(value, language) : formatInput(value, language);
    }
  }
  return texts;
}

/**
 * The value model's terms table: one tab per tier (the pane is too narrow for four tiers side by
 * side with their dropdowns), and in it one row per field. Numbers are kept as typed, so "8," can
 * become "8,5" without being reformatted under the cursor.
 */
export function TermsEditor(props: {
  t: Translate; language: Language; terms: TermsTable; tiers: readonly TierDefinition[]; onChange: (terms: TermsTable) => void;
}) {
  const { t, language, terms, tiers, onChange } = props;
  const styles = useStyles();
  const [tier, setTier] = useState<ValueTierId>('Gold');
  const [texts, setTexts] = useState(() => textsOf(terms, language));
  const problems = termsFieldProblems(terms, language);
  const problemCount = (id: ValueTierId) => Object.keys(problems).filter((key) => key.startsWith(`${id}.`)).length;
  const definition = (id: ValueTierId) => tiers[VALUE_TIER_IDS.indexOf(id)];
  const name = (id: ValueTierId) => (definition(id) ? tierName(definition(id), language) : id);
  const row = terms[tier];

  const typeNumber = (key: NumericTermsKey, percent: boolean, text: string) => {
    setTexts((current) => ({ ...current, [`${tier}.${key}`]: text }));
    onChange(setTermsField(terms, tier, key, percent ? parsePercent(text) : parseDecimal(text)));
  };
  const reset = () => {
    const defaults = structuredClone(DEFAULT_TERMS);
    setTexts(textsOf(defaults, language));
    onChange(defaults);
  };
  const units: Partial<Record<NumericTermsKey, string>> = { discount: '%', paymentDays: t('unitDays'), invoiceFee: t('unitKroner') };

  const control = (key: (typeof TERMS_FIELDS)[number]['key'], label: string) => {
    const problem = problems[`${tier}.${key}`];
    const fieldProps = { validationState: problem ? 'error' as const : 'none' as const, validationMessage: problem, size: 'small' as const };
    const aria = `${name(tier)}: ${label}`;
    switch (key) {
      case 'serviceLevel':
      case 'meetings': {
        const choices = key === 'serviceLevel' ? SERVICE_LEVELS : MEETING_FREQUENCIES;
        const labelOf = (value: string) => (key === 'serviceLevel' ? SERVICE_LEVEL_LABELS[value as ServiceLevel] : MEETING_LABELS[value as MeetingFrequency])?.[language] ?? '';
        return (
          <Field {...fieldProps}>
            <Dropdown className={styles.dropdown} size="small" aria-label={aria} value={labelOf(row?.[key] ?? '')} selectedOptions={[row?.[key] ?? '']}
              onOptionSelect={(_, data) => data.optionValue && onChange(setTermsField(terms, tier, key, data.optionValue as never))}>
              {choices.map((choice) => <Option key={choice} value={choice}>{labelOf(choice)}</Option>)}
            </Dropdown>
          </Field>
        );
      }
      case 'reprice':
        return (
          <Switch aria-label={aria} checked={row?.reprice === true} label={row?.reprice ? t('yes') : t('no')}
            onChange={(_, data) => onChange(setTermsField(terms, tier, 'reprice', data.checked))} />
        );
      default: {
        const numeric = NUMERIC.find((field) => field.key === key)!;
        const unit = units[key];
        return (
          <Field {...fieldProps}>
            <Input className={styles.input} size="small" inputMode="decimal" aria-label={aria} aria-invalid={problem !== undefined}
              value={texts[`${tier}.${key}`] ?? ''} contentAfter={unit ? <span className={styles.unit}>{unit}</span> : undefined}
              onChange={(_, data) => typeNumber(key, numeric.percent, data.value)} />
          </Field>
        );
      }
    }
  };

  return (
    <div className={styles.root} data-testid="terms-editor">
      <TabList className={styles.tabs} size="small" selectedValue={tier} onTabSelect={(_, data) => setTier(data.value as ValueTierId)} aria-label={t('termsTiers')}>
        {VALUE_TIER_IDS.map((id) => (
          <Tab key={id} value={id}>
            <span className={styles.tabContent}>
              {definition(id) && <TierBadge tier={definition(id)} language={language} />}
              {problemCount(id) > 0 && <CounterBadge size="small" color="danger" count={problemCount(id)} aria-label={t('problemCount', { count: problemCount(id) })} />}
            </span>
          </Tab>
        ))}
      </TabList>
      <Table size="small" aria-label={t('termsFor', { tier: name(tier) })}>
        <TableBody>
          {TERMS_FIELDS.map((field) => (
            <TableRow key={field.key}>
              <TableCell className={styles.label}>{field.label[language]}</TableCell>
              <TableCell className={styles.control}>{control(field.key, field.label[language])}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <div className={styles.footer}>
        <Button size="small" onClick={reset}>{t('resetDefaults')}</Button>
      </div>
    </div>
  );
}
