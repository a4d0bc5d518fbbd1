// Follows the official Office add-in React task pane and shared-runtime custom functions
// templates: one page (taskpane.html) hosts the task pane and the custom functions.
const path = require('path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CustomFunctionsMetadataPlugin = require('custom-functions-metadata-plugin');
const { LocalizeFunctionsPlugin } = require('./scripts/localize-functions');
const { HOSTING_HEADERS, manifestForProduction, productionBaseUrl } = require('./scripts/hosting');
const { choosePort } = require('./scripts/start');

async function httpsOptions() {
  // Certificates come from office-addin-dev-certs when they are installed (Windows, macOS);
  // on Linux the dev server falls back to plain http for the browser version.
  try {
    const devCerts = require('office-addin-dev-certs');
    return await devCerts.getHttpsServerOptions();
  } catch {
    return undefined;
  }
}

/**
 * manifest*.xml for dist/: as it is in development; in production with SEGMENTKIT_URL's address,
 * and not at all without one (a manifest pointing at a placeholder host must never ship).
 */
function manifestPatterns(dev) {
  const pattern = { from: 'manifest*.xml', to: '[name][ext]' };
  if (dev) return [pattern];
  const baseUrl = productionBaseUrl();
  if (!baseUrl) {
    console.warn('SEGMENTKIT_URL is not set: dist/ gets no manifest.xml. Set it to the https address the add-in is deployed to.');
    return [];
  }
  return [{ ...pattern, transform: (content) => manifestForProduction(content.toString(), baseUrl) }];
}

/**
 * The command line as one CommonJS file, dist-cli/segmentkit.js, that bin/segmentkit.js runs: tsx
 * compiling the TypeScript sources at every start costs about 0.4 s, a third of a whole run on
 * UCI Online Retail. The packages in node_modules stay outside it (required at run time), so
 * updating one needs no rebuild; bin/segmentkit.js runs the sources through tsx when this file is
 * missing or older than src/.
 */
function cliConfig(mode) {
  return {
    mode,
    target: 'node20',
    devtool: false,
    entry: './src/cli/main.ts',
    // Written at every build, even unchanged: bin/segmentkit.js trusts the bundle only when it is newer than src/.
    output: { path: path.resolve(__dirname, 'dist-cli'), filename: 'segmentkit.js', library: { type: 'commonjs2' }, clean: true, compareBeforeEmit: false },
    resolve: { extensions: ['.ts', '.js'] },
    externals: [({ request }, callback) => (/^[@a-z]/i.test(request) && !request.startsWith('node:') ? callback(null, `commonjs ${request}`) : callback())],
    module: { rules: [{ test: /\.ts$/, exclude: /node_modules/, use: { loader: 'ts-loader', options: { transpileOnly: true } } }] },
    // Readable stack traces matter more here than bytes: nothing is downloaded.
    optimization: { minimize: false },
    performance: { hints: false },
  };
}

async function addinConfig(env, options) {
  const dev = options.mode === 'development';
  const https = dev && !process.env.SEGMENTKIT_HTTP ? await httpsOptions() : undefined;
  return {
    devtool: 'source-map',
    entry: {
      taskpane: './src/taskpane/index.tsx',
      // The stand-in runtime goes first, so the appended associate calls find it outside Excel.
      functions: ['./src/functions/outside-excel.ts', './src/functions/functions.ts'],
    },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', clean: true },
    resolve: { extensions: ['.ts', '.tsx', '.js'] },
    module: {
      rules: [
        { test: /\.tsx?$/, exclude: /node_modules/, use: { loader: 'ts-loader', options: { transpileOnly: true } } },
        { test: /\.(png|jpg|jpeg|gif|ico)$/, type: 'asset/resource', generator: { filename: 'assets/[name][ext]' } },
      ],
    },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: 'functions.json', input: './src/functions/functions.ts' }),
      // Completes functions.json (data-type flags, name checks) and makes functions-da.json from it.
      new LocalizeFunctionsPlugin({ input: 'functions.json', output: 'functions-da.json' }),
      // taskpane.html is the page Excel loads (the manifest's), with office.js from Microsoft's CDN;
      // index.html is the same pane for a plain browser, without it: the browser version fetches
      // nothing from outside the machine it is served from.
      new HtmlWebpackPlugin({ filename: 'taskpane.html', template: './src/taskpane/taskpane.html', chunks: ['functions', 'taskpane'], officeJs: true }),
      new HtmlWebpackPlugin({ filename: 'index.html', template: './src/taskpane/taskpane.html', chunks: ['taskpane'], officeJs: false }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/*.png', to: 'assets/[name][ext]' },
          { from: 'assets/*.xlsx', to: 'assets/[name][ext]' },
          { from: 'src/support.html', to: 'support.html' },
          ...manifestPatterns(dev),
        ],
      }),
    ],
    performance: { hints: false },
    devServer: {
      // The same headers production hosting needs (README, Hosting): CORS for functions*.json.
      headers: HOSTING_HEADERS,
      server: https ? { type: 'https', options: https } : { type: 'http' },
      port: choosePort(),
      static: { directory: path.resolve(__dirname, 'dist') },
      open: false,
    },
  };
}

// `webpack` builds the add-in into dist/ and the command line into dist-cli/; `webpack --env cli`
// (npm run build:cli, and npm ci through "prepare") builds the command line alone; the dev server
// serves the add-in alone.
module.exports = async (env, options) => {
  if (env.cli) return cliConfig(options.mode ?? 'production');
  const addin = await addinConfig(env, options);
  return env.WEBPACK_SERVE ? addin : [addin, cliConfig(options.mode ?? 'production')];
};
