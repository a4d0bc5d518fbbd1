import type { Language, RowProblem } from './types';

const KIND_TEXT: Record<RowProblem['kind'], { en: string; da: string }> = {
  notNumber: { en: 'is not a number', da: 'er ikke et tal' },
  notDate: { en: 'is not a date', da: 'er ikke en dato' },
  notBoolean: { en: 'is not yes or no', da: 'er ikke ja eller nej' },
};

/** "Row 17, column E (Omsætning): 'abc' is not a number; the row gets no segment from it." */
export function formatProblem(problem: RowProblem, language: Language): string {
  const where = language === 'da'
    ? `Række ${problem.row}, kolonne ${problem.columnLetter} (${problem.column})`
    : `Row ${problem.row}, column ${problem.columnLetter} (${problem.column})`;
  const tail = language === 'da' ? 'rækken får intet segment ud fra den.' : 'the row gets no segment from it.';
  return `${where}: '${problem.value}' ${KIND_TEXT[problem.kind][language]}; ${tail}`;
}
