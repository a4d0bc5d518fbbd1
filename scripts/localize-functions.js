// Writes the Danish custom-functions metadata (functions-da.json) from the generated
// functions.json. The metadata generator does not localize, so the Danish names and
// descriptions live in src/functions/functions-da.json, keyed by function id and parameter name.
const fs = require('fs');
const path = require('path');

const DANISH_TEXTS = path.resolve(__dirname, '../src/functions/functions-da.json');
const PLUGIN_NAME = 'LocalizeFunctionsPlugin';

/**
 * Returns a copy of the metadata with Danish names and descriptions. Ids stay as they are, so
 * workbooks work in both languages. A function or parameter without Danish text is an error:
 * a new function must not ship half translated.
 */
function localizeMetadata(metadata, texts) {
  const missing = [];
  const functions = metadata.functions.map((fn) => {
    const danish = texts[fn.id];
    if (!danish) {
      missing.push(fn.id);
      return fn;
    }
    const parameters = (fn.parameters || []).map((parameter) => {
      const text = danish.parameters && danish.parameters[parameter.name];
      if (!text) {
        missing.push(`${fn.id}(${parameter.name})`);
        return parameter;
      }
      return { ...parameter, name: text.name, description: text.description };
    });
    return { ...fn, name: danish.name, description: danish.description, parameters };
  });
  if (missing.length > 0) throw new Error(`Danish custom-function texts missing for: ${missing.join(', ')}. Add them to ${DANISH_TEXTS}.`);
  return { ...metadata, functions };
}

function readDanishTexts(file = DANISH_TEXTS) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Emits functions-da.json next to the functions.json the custom-functions metadata plugin wrote. */
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
          const metadata = JSON.parse(asset.source.source().toString());
          const danish = localizeMetadata(metadata, readDanishTexts());
          compilation.emitAsset(this.output, new sources.RawSource(JSON.stringify(danish, null, 4)));
        } catch (error) {
          compilation.errors.push(new WebpackError(`${PLUGIN_NAME}: ${error.message}`));
        }
      });
    });
  }
}

module.exports = { localizeMetadata, readDanishTexts, LocalizeFunctionsPlugin, DANISH_TEXTS };
