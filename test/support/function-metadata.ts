import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Language } from '../../src/engine';

/** The custom functions' namespace, as the manifest declares it. */
export const NAMESPACE = 'SEGMENT';

const ROOT = path.resolve(__dirname, '..', '..');

interface MetadataFunction {
  id: string;
  name: string;
}

/**
 * The custom-function names Excel knows in a display language, as 'SEGMENT.NAME': from the
 * `@customfunction ID NAME` tags in src/functions/functions.ts with the names of
 * src/functions/functions-da.json, the sources the build turns into dist/functions*.json (a built
 * dist may be older than the sources, and tests run before the build). Excel registers a function
 * under the name the metadata of its display language gives it, and a formula entered through the
 * API must use that name (office-js issue #891); test/function-names.test.ts checks the built files.
 */
export function customFunctionNames(language: Language): Set<string> {
  return new Set(fromSources(language).map((fn) => `${NAMESPACE}.${fn.name.toUpperCase()}`));
}

function fromSources(language: Language): MetadataFunction[] {
  const source = readFileSync(path.join(ROOT, 'src', 'functions', 'functions.ts'), 'utf8');
  const english = [...source.matchAll(/@customfunction\s+(\S+)(?:\s+(\S+))?/g)].map((match) => ({ id: match[1], name: match[2] ?? match[1] }));
  if (language === 'en') return english;
  const danish = JSON.parse(readFileSync(path.join(ROOT, 'src', 'functions', 'functions-da.json'), 'utf8')) as Record<string, { name?: string }>;
  return english.map((fn) => ({ id: fn.id, name: danish[fn.id]?.name ?? fn.name }));
}
