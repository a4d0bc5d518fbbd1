/** A cell as any reader hands it over: Excel values, ExcelJS values or text. */
export type CellValue = string | number | boolean | Date | null | undefined;

export type Language = 'en' | 'da';

/** Text in both of the product's languages. */
export interface Localized {
  en: string;
  da: string;
}

/** Why a value could not be used, with the sheet row and the column it sits in. */
export interface RowProblem {
  /** 1-based row number on the sheet, as Excel shows it. */
  row: number;
  /** The column's header text. */
  column: string;
  /** Column letter on the sheet (A, B, …, AA). */
  columnLetter: string;
  /** The raw value as text. */
  value: string;
  kind: 'notNumber' | 'notDate' | 'notBoolean';
}

export function localize(text: Localized, language: Language): string {
  return text[language];
}

/**
 * Text in both languages, each made only when read. Explanations are built for every row of a
 * big table but read in one language, so the other is never made. A class, not an object literal
 * with getters: V8 builds those fifty times slower, which a million rows would feel.
 */
class LazyLocalized implements Localized {
  private english?: string;
  private danish?: string;

  constructor(private readonly text: (language: Language) => string) {}

  get en(): string {
    return (this.english ??= this.text('en'));
  }

  get da(): string {
    return (this.danish ??= this.text('da'));
  }

  /** Both texts as plain data, so a result can be sent to a worker or stored as JSON. */
  toJSON(): Localized {
    return { en: this.en, da: this.da };
  }
}

export function lazyLocalized(text: (language: Language) => string): Localized {
  return new LazyLocalized(text);
}

/**
 * The sentence an error carries for the user in their language, when it carries one
 * (`text: Localized`, as unreadable files, tables not found and refused writes do); undefined else.
 */
export function localizedErrorText(error: unknown, language: Language): string | undefined {
  if (!(error instanceof Error) || !('text' in error)) return undefined;
  const text = (error as { text: unknown }).text;
  return typeof text === 'object' && text !== null && typeof (text as Localized)[language] === 'string' ? (text as Localized)[language] : undefined;
}
