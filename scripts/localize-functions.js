// The build step after custom-functions-metadata-plugin: completes the generated functions.json
// with what the generator cannot write from JSDoc, checks the function names, and writes the
// Danish metadata (functions-da.json). The Danish descriptions and parameter names live in
// src/functions/functions-da.json, keyed by function id and parameter name.
const fs = require('fs');
const path = require('path');
const { isBuiltInFunctionName } = require('./excel-function-names');

const DANISH_TEXTS = path.resolve(__dirname, '../src/functions/functions-da.json');
const PLUGIN_NAME = 'LocalizeFunctionsPlugin';

/**
 * The top-level data-type flags SegmentKit's metadata carries (both apply to every parameter of
 * type any, which every range parameter is):
 * - allowErrorForDataTypeAny: an error cell (#N/A in a revenue column) reaches the function, which
 *   makes it that row's problem; without it one error cell fails the whole spilled result.
 * - allowCustomDataForDataTypeAny: data types reach the function as objects. On purpose: without
 *   it an entity (Stocks, Geography) arrives as its basic value, the error #VALUE!, and nobody can
 *   tell which cell held what; as an object it is named by its display text, and a formatted
 *   number is read as its number.
 */
const DATA_TYPE_FLAGS = { allowErrorForDataTypeAny: true, allowCustomDataForDataTypeAny: true };

/**
 * Checks the names Excel will see: each function's name is its id (a translated name cannot be
 * written through range.formulas, office-js issue #891) and no id is a built-in function's name in
 * English or Danish, nor an Excel 4.0 macro function's. Throws an Error listing every problem.
 */
function checkFunctionNames(metadata) {
  const problems = [];
  for (const fn of metadata.functions) {
    if (fn.name !== fn.id) problems.push(`${fn.id} is named "${fn.name}"; give every function its id as its name`);
    if (isBuiltInFunctionName(fn.id)) problems.push(`${fn.id} is the name of a built-in Excel function`);
  }
  if (problems.length > 0) throw new Error(`Custom function names: ${problems.join('; ')}.`);
}

/**
 * The metadata as SegmentKit ships it: the generated functions.json with DATA_TYPE_FLAGS set and
 * its names checked (see checkFunctionNames). Returns a new object; throws on a bad name.
 */
function completeMetadata(metadata) {
  checkFunctionNames(metadata);
  return { ...DATA_TYPE_FLAGS, ...metadata, ...DATA_TYPE_FLAGS };
}

/**
 * Returns a copy of the metadata with Danish descriptions and parameter names. Ids and function
 * names stay as they are, so formulas read the same in every language. A function or parameter
 * without Danish text is an error (a new function must not ship half translated), and so is a
 * Danish function name.
 */
function localizeMetadata(metadata, texts) {
  const missing = [];
  const renamed = [];
  const functions = metadata.functions.map((fn) => {
    const danish = texts[fn.id];
    if (!danish) {
      missing.push(fn.id);
      return fn;
    }
    if ('name' in danish) renamed.push(fn.id);
    const parameters = (fn.parameters || []).map((parameter) => {
      const text = danish.parameters && danish.parameters[parameter.name];
      if (!text) {
        missing.push(`${fn.id}(${parameter.name})`);
        return parameter;
      }
      return { ...parameter, name: text.name, description: text.description };
    });
    return { ...fn, description: danish.description, parameters };
  });
  if (missing.length > 0) throw new Error(`Danish custom-function texts missing for: ${missing.join(', ')}. Add them to ${DANISH_TEXTS}.`);
  if (renamed.length > 0) throw new Error(`Function names are not translated (formulas use one name in every language): remove "name" for ${renamed.join(', ')} in ${DANISH_TEXTS}.`);
  return { ...metadata, functions };
}

function readDanishTexts(file = DANISH_TEXTS) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Rewrites functions.json (completeMetadata) and emits functions-da.json beside it, after the
 * custom-functions metadata plugin has generated functions.json; a problem fails the build.
 */
class LocalizeFunctionsPlugin {
  constructor(options = {}) {
    this.input = options.input || 'functions.json';
    this.output = options.output || 'functions-da.json';
  }

  apply(compiler) {
    const { Compilation, WebpackError, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(PLUGIN_NAME, (compilation) => {
      compilation.fileDependencies.add(DANISH_TEXTS);
      compilation.hooks.processAssets.tap({ name: PLUGIN_NAME, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const asset = compilation.getAsset(this.input);
        if (!asset) {
          compilation.errors.push(new WebpackError(`${PLUGIN_NAME}: ${this.input} was not generated, so ${this.output} cannot be made.`));
          return;
        }
        try {
          const metadata = completeMetadata(JSON.parse(asset.source.source().toString()));
          const danish = localizeMetadata(metadata, readDanishTexts());
          compilation.updateAsset(this.input, new sources.RawSource(JSON.stringify(metadata, null, 4)));
          compilation.emitAsset(this.output, new sources.RawSource(JSON.stringify(danish, null, 4)));
        } catch (error) {
          compilation.errors.push(new WebpackError(`${PLUGIN_NAME}: ${error.message}`));
        }
      });
    });
  }
}

module.exports = { completeMetadata, checkFunctionNames, localizeMetadata, readDanishTexts, LocalizeFunctionsPlugin, DANISH_TEXTS, DATA_TYPE_FLAGS };
