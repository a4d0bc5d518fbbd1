/**
 * The part of the Office CustomFunctions runtime SegmentKit uses, declared here because
 * @types/custom-functions-runtime is not installed. Names and values follow that package.
 */
declare namespace CustomFunctions {
  enum ErrorCode {
    invalidValue = '#VALUE!',
    notAvailable = '#N/A',
    divisionByZero = '#DIV/0!',
    invalidNumber = '#NUM!',
    nullReference = '#NULL!',
    invalidName = '#NAME?',
    invalidReference = '#REF!',
  }

  /** An error value a custom function returns or throws; only #VALUE! and #N/A show the message. */
  class Error {
    constructor(errorCode: ErrorCode, errorMessage?: string);
    code: ErrorCode;
    message?: string;
  }

  function associate(id: string, functionObject: (...args: never[]) => unknown): void;
}
