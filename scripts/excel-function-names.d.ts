// Types for excel-function-names.js, so TypeScript tests can import it.
export const BUILT_IN_FUNCTION_NAMES: ReadonlySet<string>;
export const ENGLISH_FUNCTION_NAMES: readonly string[];
export const DANISH_FUNCTION_NAMES: readonly string[];
export function isBuiltInFunctionName(name: string): boolean;
