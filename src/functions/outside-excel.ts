/**
 * Outside Excel (the browser version, or office.js unreachable) there is no CustomFunctions
 * runtime, yet the build appends CustomFunctions.associate calls to functions.ts. This stands in
 * for the runtime there, so the page starts without an error; in Excel office.js has already
 * defined the real one by the time this deferred script runs, and this leaves it alone.
 */
const scope = globalThis as unknown as { CustomFunctions?: unknown };
if (typeof scope.CustomFunctions === 'undefined') {
  scope.CustomFunctions = { associate: () => undefined };
}
export {};
