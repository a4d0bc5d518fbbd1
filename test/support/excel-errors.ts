import { expect } from 'vitest';

/** Runs a custom-function call that must fail and returns the error Excel would show. */
export function failure(call: () => unknown): CustomFunctions.Error {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(CustomFunctions.Error);
    return error as CustomFunctions.Error;
  }
  throw new Error('expected the call to fail');
}
