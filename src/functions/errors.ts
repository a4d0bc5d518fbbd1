import type { Language, Localized } from '../engine';

/**
 * Which Excel error a problem becomes. Only #VALUE! (invalidValue) and #N/A (notAvailable) show
 * their message in Excel, so every bad argument is one of these, also a number out of range where
 * Excel's own functions answer #NUM!: a message that says what to change beats the usual code.
 */
export type ProblemKind = 'invalidValue' | 'notAvailable';

/** A failure as plain data, so the helpers stay testable without the CustomFunctions runtime. */
export interface FunctionProblem {
  kind: ProblemKind;
  text: Localized;
}

/** Thrown by the helpers when a whole call fails; the entry point turns it into an Excel error. */
export class FunctionInputError extends Error {
  readonly problem: FunctionProblem;

  constructor(kind: ProblemKind, text: Localized) {
    super(text.en);
    this.name = 'FunctionInputError';
    this.problem = { kind, text };
  }
}

export function isProblem(value: unknown): value is FunctionProblem {
  return typeof value === 'object' && value !== null && 'kind' in value && 'text' in value;
}

export function toExcelError(problem: FunctionProblem, language: Language): CustomFunctions.Error {
  const code = CustomFunctions.ErrorCode[problem.kind];
  return new CustomFunctions.Error(code, problem.text[language]);
}

/** Turns a result matrix with problems in some cells into what Excel shows: errors in those cells. */
export function toExcelCells(cells: readonly (readonly (string | FunctionProblem)[])[], language: Language): Array<Array<string | CustomFunctions.Error>> {
  return cells.map((row) => row.map((cell) => (isProblem(cell) ? toExcelError(cell, language) : cell)));
}

/**
 * Runs a function body and maps its failure to an Excel error. Known problems keep their kind;
 * anything else is a bug, surfaced as #VALUE! with its message instead of hidden.
 */
export function runForExcel<T>(language: Language, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof FunctionInputError) throw toExcelError(error.problem, language);
    const message = error instanceof Error ? error.message : String(error);
    throw new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, message);
  }
}
