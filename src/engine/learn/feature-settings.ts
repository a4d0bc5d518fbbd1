import type { ModelSettings, SettingDefinition } from '../model';

/*
 * The settings every feature-reading model (churn, clusters, twins) declares alike, so the pane
 * shows the same feature editor, the CLI's --features reaches each, and the workbook stores the
 * choice with the model's other settings. Each model gets objects of its own: the pane shows a
 * setting object several models hold once, for all of them (the hourly rate), and churn's
 * features are not twins'.
 */

/** Which columns describe a customer: a list of headers; empty means every usable column (see candidateFeatures). */
export function featureListSetting(): SettingDefinition {
  return {
    key: 'features', kind: 'data', editor: 'features',
    label: { en: 'Features (columns that describe a customer)', da: 'Kendetegn (kolonner der beskriver en kunde)' },
  };
}

/** Whether skewed amounts are log-transformed before standardising (buildFeatures' `skew`). */
export function skewChoiceSetting(): SettingDefinition {
  return {
    key: 'skew', kind: 'choice', label: { en: 'Skewed amounts', da: 'Skæve beløb' },
    options: [
      { value: 'auto', label: { en: 'Log where skewed (skewness > 1)', da: 'Logaritme hvor skæve (skævhed > 1)' } },
      { value: 'log', label: { en: 'Log every amount ≥ 0', da: 'Logaritme af alle beløb ≥ 0' } },
      { value: 'none', label: { en: 'As they are', da: 'Som de er' } },
    ],
  };
}

/** The defaults of the two settings: every usable column, log where skewed. */
export const FEATURE_DEFAULTS: ModelSettings = { features: [], skew: 'auto' };

/** The skew setting as buildFeatures takes it; 'auto' for anything else. */
export function skewSetting(settings: ModelSettings): 'auto' | 'log' | 'none' {
  const value = settings.skew;
  return value === 'log' || value === 'none' ? value : 'auto';
}
