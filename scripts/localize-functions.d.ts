// Types for localize-functions.js, so TypeScript tests can import it.
export interface FunctionMetadata {
  functions: { id: string; name: string; description?: string; parameters?: { name: string; description?: string; [key: string]: unknown }[]; [key: string]: unknown }[];
  allowErrorForDataTypeAny?: boolean;
  allowCustomDataForDataTypeAny?: boolean;
  [key: string]: unknown;
}
export interface DanishFunctionTexts {
  [id: string]: { description: string; parameters: Record<string, { name: string; description: string }> };
}
export const DATA_TYPE_FLAGS: { allowErrorForDataTypeAny: true; allowCustomDataForDataTypeAny: true };
export function checkFunctionNames(metadata: FunctionMetadata): void;
export function completeMetadata<T extends FunctionMetadata>(metadata: T): T & typeof DATA_TYPE_FLAGS;
export function localizeMetadata<T extends FunctionMetadata>(metadata: T, texts: DanishFunctionTexts): T;
export function readDanishTexts(file?: string): DanishFunctionTexts;
export class LocalizeFunctionsPlugin {
  constructor(options?: { input?: string; output?: string });
  apply(compiler: unknown): void;
}
export const DANISH_TEXTS: string;
