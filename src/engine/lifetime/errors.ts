import type { Localized } from '../types';
import { counted, NOUNS } from './wording';

/**
 * A lifetime model that the data cannot support, with the sentence for the user in both languages
 * (read by localizedErrorText). `repeatBuyers` is the count the data had; `needed` the minimum.
 */
export class LifetimeEstimationError extends Error {
  readonly text: Localized;

  constructor(readonly model: 'BG/NBD' | 'Gamma-Gamma', readonly repeatBuyers: number, readonly needed: number) {
    const en = `${model} cannot be estimated from ${counted(repeatBuyers, NOUNS.repeatBuyer, 'en')} (it needs at least ${needed} customers with two or more purchase days).`;
    super(en);
    this.name = 'LifetimeEstimationError';
    this.text = {
      en,
      da: `${model} kan ikke estimeres ud fra ${counted(repeatBuyers, NOUNS.repeatBuyer, 'da')} (der skal mindst ${needed} kunder med køb på to eller flere dage til).`,
    };
  }
}
