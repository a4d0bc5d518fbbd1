// Types for localize-functions.js, so TypeScript tests can import it.
export interface FunctionMetadata {
  functions: { id: string; name: string; description?: string; parameters?: { name: string; description?: string; [key: string]: unknown }[]; [key: string]: unknown }[];
  [key: string]: unknown;
}
export interface DanishFunctionTexts {
  [id: string]: { name: string; description: string; parameters: Record<string, { name: string; description: string }> };
}
export function localizeMetadata<T extends FunctionMetadata>(metadata: T, texts: DanishFunctionTexts): T;
export function readDanishTexts(file?: string): DanishFunctionTexts;
export class LocalizeFunctionsPlugin {
  constructor(options?: { input?: string; output?: string });
  apply(compiler: unknown): void;
}
export const DANISH_TEXTS: string;
