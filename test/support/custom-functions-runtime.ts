/**
 * Excel's CustomFunctions runtime, as far as the functions use it. Vitest loads this before every
 * test file (vitest.config.ts), so functions.ts finds it when it loads, as it would in Excel.
 */
class ExcelError {
  constructor(readonly code: string, readonly message?: string) {}
}

const ErrorCode = {
  invalidValue: '#VALUE!', notAvailable: '#N/A', divisionByZero: '#DIV/0!', invalidNumber: '#NUM!',
  nullReference: '#NULL!', invalidName: '#NAME?', invalidReference: '#REF!',
};

(globalThis as Record<string, unknown>).CustomFunctions = { Error: ExcelError, ErrorCode, associate: () => undefined };
