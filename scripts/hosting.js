// Where the production add-in lives and how its files must be served; used by webpack.config.js
// (the manifest copy and the dev server) and by the manifest tests.

/** The development address manifest.xml uses; the production build replaces every occurrence. */
const DEV_URL = 'https://localhost:3000/';

/**
 * Headers for the add-in's files. Excel on the web fetches functions.json and functions-da.json
 * from another origin than the one serving them, so they need a CORS header; the files are
 * public and fetched without credentials, so any origin may read them.
 */
const HOSTING_HEADERS = { 'Access-Control-Allow-Origin': '*' };

/** Hosts that are never a deployment: the documentation domains and this machine. */
const PLACEHOLDER_HOST = /(^|\.)(example\.(com|org|net)|localhost|127\.0\.0\.1)$/i;

/**
 * The production base URL from SEGMENTKIT_URL, with a trailing slash; null when it is not set
 * (the build then writes no manifest: there is no address to give it). Throws when it is set to
 * something a store or an admin could not use: not https, or an example or local host.
 */
function productionBaseUrl(value = process.env.SEGMENTKIT_URL) {
  if (value === undefined || value.trim() === '') return null;
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`SEGMENTKIT_URL "${value}" is not a URL; give the https address the add-in is deployed to.`);
  }
  if (url.protocol !== 'https:') throw new Error(`SEGMENTKIT_URL "${value}" must be an https address: Office loads add-ins over https only.`);
  if (PLACEHOLDER_HOST.test(url.hostname)) throw new Error(`SEGMENTKIT_URL "${value}" is a placeholder or local host; give the address the add-in is deployed to.`);
  if (url.search || url.hash) throw new Error(`SEGMENTKIT_URL "${value}" must not have a query or fragment.`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** The manifest with every development URL replaced by the production base URL. */
function manifestForProduction(xml, baseUrl) {
  return xml.replace(new RegExp(DEV_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), baseUrl);
}

module.exports = { DEV_URL, HOSTING_HEADERS, productionBaseUrl, manifestForProduction };
