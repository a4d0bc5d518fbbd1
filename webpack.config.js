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

module.exports = async (env, options) => {
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
};
