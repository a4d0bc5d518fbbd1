// Offline checks of manifest.xml. The online validator (office-addin-manifest validate) needs the
// network, and the last public XSDs (2019) reject <Runtimes>, so these checks cover what breaks a
// shared-runtime add-in in practice. Each check returns a name, ok, and details to print.
const { Buffer } = require('buffer');
const fs = require('fs');
const path = require('path');

// xml2js: the XML parser office-addin-manifest itself uses, pinned as our own dev dependency.
const xml2js = require('xml2js');

const NAMESPACE = 'SEGMENT';
const DANISH = 'da-dk';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHORT_STRING_MAX = 125;
const LONG_STRING_MAX = 250;
const ICON_URL_SIZE = 32;
// Microsoft's icon guidance for task pane add-ins: IconUrl 32 px, HighResolutionIconUrl 64 px.
const HIGH_RESOLUTION_SIZES = [64];
// What the code needs: SharedRuntime 1.1 (Excel 2021 or later, or Microsoft 365) for the one
// runtime of task pane and functions; CustomFunctionsRuntime 1.2 for CustomFunctions.Error, which
// the functions throw and return (src/functions/errors.ts).
const REQUIRED_SETS = { SharedRuntime: '1.1', CustomFunctionsRuntime: '1.2' };
// Hosts that are never a deployment: an address the store or an admin would reject.
const PLACEHOLDER_HOST = /(^|\.)example\.(com|org|net)$/i;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Parses XML into plain nodes { name, attributes, children, text } with the children in order. */
async function parseXml(text) {
  const parsed = await xml2js.parseStringPromise(text, { explicitChildren: true, preserveChildrenOrder: true, charsAsChildren: false });
  const [name] = Object.keys(parsed);
  return toNode(name, parsed[name]);
}

function toNode(name, raw) {
  if (typeof raw === 'string') return { name, attributes: {}, children: [], text: raw };
  return {
    name,
    attributes: raw.$ || {},
    children: (raw.$$ || []).map((child) => toNode(child['#name'], child)),
    text: typeof raw._ === 'string' ? raw._.trim() : '',
  };
}

/** Element names without their prefix, so bt:Image and Image compare alike where that is meant. */
function localName(name) {
  return name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
}

function* walk(node, ancestors = []) {
  yield { node, ancestors };
  for (const child of node.children) yield* walk(child, [...ancestors, node]);
}

function findAll(root, name) {
  return [...walk(root)].filter(({ node }) => localName(node.name) === name).map(({ node }) => node);
}

function child(node, name) {
  return node && node.children.find((candidate) => localName(candidate.name) === name);
}

function childPath(node, ...names) {
  return names.reduce((current, name) => child(current, name), node);
}

function check(name, problems, passDetail) {
  return { name, ok: problems.length === 0, details: problems.length === 0 ? [passDetail] : problems };
}

/** Every resource id the manifest defines, with its element (bt:Image, bt:Url, bt:String). */
function resources(root) {
  const byId = new Map();
  const duplicates = [];
  const resourcesNode = findAll(root, 'Resources')[0];
  if (!resourcesNode) return { byId, duplicates };
  for (const group of resourcesNode.children) {
    for (const item of group.children) {
      const id = item.attributes.id;
      if (!id) continue;
      if (byId.has(id)) duplicates.push(id);
      byId.set(id, { group: localName(group.name), node: item });
    }
  }
  return { byId, duplicates };
}

function overrides(node) {
  return node.children.filter((candidate) => localName(candidate.name) === 'Override');
}

function danishOverride(node) {
  return overrides(node).find((override) => (override.attributes.Locale || '').toLowerCase() === DANISH);
}

function checkRoot(root) {
  const problems = [];
  if (localName(root.name) !== 'OfficeApp') problems.push(`The root element is <${root.name}>, not <OfficeApp>.`);
  if (root.attributes['xsi:type'] !== 'TaskPaneApp') problems.push(`OfficeApp xsi:type is "${root.attributes['xsi:type']}", not "TaskPaneApp".`);
  const id = child(root, 'Id');
  if (!id || !GUID.test(id.text)) problems.push(`<Id> must be a GUID, found "${id ? id.text : ''}".`);
  const hosts = (child(root, 'Hosts') || { children: [] }).children.map((host) => host.attributes.Name);
  if (hosts.length !== 1 || hosts[0] !== 'Workbook') problems.push(`<Hosts> must name Workbook (Excel) only, found ${JSON.stringify(hosts)}.`);
  return check('task pane add-in for Excel', problems, 'TaskPaneApp with a GUID id, host Workbook');
}

function checkResidsResolve(root, defined) {
  const problems = [];
  let count = 0;
  for (const { node } of walk(root)) {
    const resid = node.attributes.resid;
    if (resid === undefined) continue;
    count++;
    if (!defined.byId.has(resid)) problems.push(`<${node.name} resid="${resid}"> has no resource with that id.`);
  }
  for (const id of defined.duplicates) problems.push(`Resource id "${id}" is defined more than once.`);
  return check('every resid resolves', problems, `${count} resid references, all defined`);
}

/**
 * The shared runtime loads only when Runtime, the custom functions Page and FunctionFile use the
 * same resid, and <Runtimes> comes right after <Host>.
 */
function checkSharedRuntime(root, defined) {
  const problems = [];
  const host = findAll(root, 'Host').find((node) => node.attributes['xsi:type'] === 'Workbook');
  if (!host) return check('one shared runtime', ['No <Host xsi:type="Workbook"> in VersionOverrides.'], '');
  if (!host.children[0] || localName(host.children[0].name) !== 'Runtimes') problems.push('<Runtimes> must be the first element inside <Host xsi:type="Workbook">.');
  const runtimes = findAll(host, 'Runtime');
  if (runtimes.length !== 1) problems.push(`Expected one <Runtime>, found ${runtimes.length}.`);
  const runtime = runtimes[0];
  if (runtime && runtime.attributes.lifetime !== 'long') problems.push('The <Runtime> needs lifetime="long" to stay alive for the custom functions.');
  const customFunctions = findAll(host, 'ExtensionPoint').find((node) => node.attributes['xsi:type'] === 'CustomFunctions');
  const page = childPath(customFunctions, 'Page', 'SourceLocation');
  const functionFile = findAll(host, 'FunctionFile')[0];
  const used = { Runtime: runtime, 'custom functions Page': page, FunctionFile: functionFile };
  for (const [what, node] of Object.entries(used)) if (!node) problems.push(`The manifest has no ${what}.`);
  const ids = new Set(Object.values(used).filter(Boolean).map((node) => node.attributes.resid));
  if (ids.size > 1) problems.push(`Runtime, Page and FunctionFile use different resids: ${[...ids].join(', ')}.`);
  const taskpaneActions = findAll(host, 'Action').filter((node) => node.attributes['xsi:type'] === 'ShowTaskpane');
  if (taskpaneActions.length === 0) problems.push('No ribbon button opens the task pane (Action xsi:type="ShowTaskpane").');
  for (const action of taskpaneActions) {
    const source = child(action, 'SourceLocation');
    if (source && !ids.has(source.attributes.resid)) problems.push(`The task pane button opens "${source.attributes.resid}", not the shared runtime page.`);
  }
  const url = runtime && defined.byId.get(runtime.attributes.resid);
  const where = url ? url.node.attributes.DefaultValue : '?';
  return check('one shared runtime', problems, `Runtime, Page, FunctionFile and the task pane button all load ${where}`);
}

function checkRequirements(root) {
  const problems = [];
  const sets = findAll(child(root, 'Requirements') || { children: [] }, 'Set');
  const versionOf = (name) => {
    const set = sets.find((candidate) => candidate.attributes.Name === name);
    return set ? set.attributes.MinVersion || '' : undefined;
  };
  for (const [name, wanted] of Object.entries(REQUIRED_SETS)) {
    const version = versionOf(name);
    if (version === undefined) problems.push(`The <Requirements> lack <Set Name="${name}" MinVersion="${wanted}"/>.`);
    else if (version !== wanted) problems.push(`${name} requires MinVersion ${version}; SegmentKit's code needs ${wanted}.`);
  }
  return check('shared runtime requirement sets', problems, Object.entries(REQUIRED_SETS).map(([name, version]) => `${name} ${version}`).join(' and '));
}

function checkCustomFunctions(root, defined) {
  const problems = [];
  const namespace = findAll(root, 'Namespace')[0];
  const value = namespace && defined.byId.get(namespace.attributes.resid);
  const text = value ? value.node.attributes.DefaultValue : undefined;
  if (text !== NAMESPACE) problems.push(`The custom functions namespace is "${text}", not "${NAMESPACE}".`);
  if (value && overrides(value.node).some((override) => override.attributes.Value !== NAMESPACE)) problems.push('The namespace must not be translated: formulas use SEGMENT.* in every language.');
  const metadata = findAll(root, 'Metadata').map((node) => child(node, 'SourceLocation'))[0];
  const url = metadata && defined.byId.get(metadata.attributes.resid);
  if (!url) problems.push('The custom functions <Metadata> has no URL resource.');
  else {
    if (!/\/functions\.json$/.test(url.node.attributes.DefaultValue || '')) problems.push(`The metadata URL ${url.node.attributes.DefaultValue} should end in /functions.json.`);
    const danish = danishOverride(url.node);
    if (!danish || !/\/functions-da\.json$/.test(danish.attributes.Value || '')) problems.push('The metadata URL needs <bt:Override Locale="da-DK" Value=".../functions-da.json"/>.');
  }
  return check(`custom functions namespace ${NAMESPACE}`, problems, `namespace ${NAMESPACE}, metadata functions.json with a Danish functions-da.json`);
}

const URL_OWNERS = ['IconUrl', 'HighResolutionIconUrl', 'SupportUrl', 'SourceLocation', 'Url', 'Image'];

/** Every URL the manifest gives: defaults of URL elements and resources, and their overrides. */
function urlValues(root) {
  const values = [];
  for (const { node } of walk(root)) {
    if (!URL_OWNERS.includes(localName(node.name))) continue;
    if (node.attributes.DefaultValue !== undefined) values.push({ where: `<${node.name}>`, value: node.attributes.DefaultValue });
    for (const override of overrides(node)) values.push({ where: `<${node.name}> ${override.attributes.Locale} override`, value: override.attributes.Value || '' });
  }
  for (const domain of findAll(root, 'AppDomain')) values.push({ where: '<AppDomain>', value: domain.text });
  return values;
}

function checkHttps(root) {
  const values = urlValues(root);
  const problems = values.filter(({ value }) => !/^https:\/\/[^\s/]+(\/|$)/.test(value)).map(({ where, value }) => `${where} "${value}" is not an https URL.`);
  return check('https URLs', problems, `${values.length} URLs, all https`);
}

/** Width and height from a PNG's IHDR chunk, or null when the file is not a PNG. */
function pngSize(buffer) {
  if (buffer.length < 24 || !buffer.subarray(0, 8).equals(PNG_SIGNATURE) || buffer.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/** The icons the manifest uses, each with the pixel sizes it is shown at. */
function iconUses(root, defined) {
  const uses = [];
  const icon = child(root, 'IconUrl');
  if (icon) uses.push({ what: 'IconUrl', url: icon.attributes.DefaultValue, sizes: [ICON_URL_SIZE] });
  const highResolution = child(root, 'HighResolutionIconUrl');
  if (highResolution) uses.push({ what: 'HighResolutionIconUrl', url: highResolution.attributes.DefaultValue, sizes: HIGH_RESOLUTION_SIZES });
  for (const image of findAll(root, 'Image')) {
    const resid = image.attributes.resid;
    const resource = resid && defined.byId.get(resid);
    if (!resource) continue;
    uses.push({ what: `Image ${resid}`, url: resource.node.attributes.DefaultValue, sizes: [Number(image.attributes.size)] });
  }
  return uses;
}

function checkIcons(root, defined, assetsDir) {
  const problems = [];
  const uses = iconUses(root, defined);
  if (!uses.some((use) => use.what === 'IconUrl')) problems.push('The manifest has no <IconUrl>.');
  if (!uses.some((use) => use.what === 'HighResolutionIconUrl')) problems.push('The manifest has no <HighResolutionIconUrl>.');
  const checked = new Set();
  for (const use of uses) {
    // Under assets/ of the add-in's address, which may be a path on its host (SEGMENTKIT_URL).
    const match = /^https:\/\/[^/]+\/(?:[^?#]*\/)?assets\/([^/?#]+\.png)$/.exec(use.url || '');
    if (!match) {
      problems.push(`${use.what}: ${use.url} is not a PNG under /assets/.`);
      continue;
    }
    const file = path.join(assetsDir, match[1]);
    if (!fs.existsSync(file)) {
      problems.push(`${use.what}: ${file} does not exist.`);
      continue;
    }
    const size = pngSize(fs.readFileSync(file));
    if (!size) problems.push(`${use.what}: ${match[1]} is not a PNG file.`);
    else if (size.width !== size.height || !use.sizes.includes(size.width)) {
      problems.push(`${use.what}: ${match[1]} is ${size.width}×${size.height} px; it is shown at ${use.sizes.join(' or ')} px.`);
    } else checked.add(`${match[1]} ${size.width}px`);
  }
  return check('icons exist with the right sizes', problems, [...checked].sort().join(', '));
}

/**
 * What the store validator (AppSource) rejects beyond the schema: no <SupportUrl>, and URLs on a
 * placeholder domain (example.com), which a build that fell back to a default address would ship.
 */
function checkStoreRules(root) {
  const problems = [];
  const support = child(root, 'SupportUrl');
  if (!support || !support.attributes.DefaultValue) problems.push('The manifest has no <SupportUrl DefaultValue="https://…"/>; the store requires one.');
  const children = root.children.map((node) => localName(node.name));
  if (support && children.indexOf('SupportUrl') < children.indexOf('HighResolutionIconUrl')) problems.push('<SupportUrl> must come after <HighResolutionIconUrl>.');
  for (const { where, value } of urlValues(root)) {
    let host = '';
    try {
      host = new URL(value).hostname;
    } catch {
      continue; // checkHttps names URLs that do not parse.
    }
    if (PLACEHOLDER_HOST.test(host)) problems.push(`${where} "${value}" is on a placeholder domain; build with SEGMENTKIT_URL set to the real address.`);
  }
  return check('store validator rules', problems, `SupportUrl ${support ? support.attributes.DefaultValue : ''}, no placeholder domains`);
}

/** What a Danish user sees is Danish too, and strings fit Office's limits. */
function checkStrings(root, defined) {
  const problems = [];
  for (const name of ['DisplayName', 'Description']) {
    const node = child(root, name);
    if (!node) problems.push(`The manifest has no <${name}>.`);
    else if (!danishOverride(node)) problems.push(`<${name}> has no da-DK <Override>.`);
  }
  for (const [id, { group, node }] of defined.byId) {
    if (group !== 'ShortStrings' && group !== 'LongStrings') continue;
    const max = group === 'ShortStrings' ? SHORT_STRING_MAX : LONG_STRING_MAX;
    for (const text of [node.attributes.DefaultValue || '', ...overrides(node).map((override) => override.attributes.Value || '')]) {
      if (text.length > max) problems.push(`${id}: "${text.slice(0, 40)}…" is ${text.length} characters; ${group} allow ${max}.`);
    }
    if (id !== 'Functions.Namespace' && !danishOverride(node)) problems.push(`${id} has no da-DK <bt:Override>.`);
  }
  return check('English and Danish texts', problems, 'en-US defaults with da-DK overrides, within length limits');
}

/**
 * Runs every check on a manifest's text. assetsDir is where the icons live (assets/ in the repo).
 * Returns [{ name, ok, details }]; a manifest that does not parse gives a single failed check.
 */
async function checkManifest(xmlText, { assetsDir }) {
  let root;
  try {
    root = await parseXml(xmlText);
  } catch (error) {
    return [{ name: 'XML parses', ok: false, details: [String(error.message || error).split('\n')[0]] }];
  }
  const defined = resources(root);
  return [
    { name: 'XML parses', ok: true, details: ['well-formed'] },
    checkRoot(root),
    checkResidsResolve(root, defined),
    checkSharedRuntime(root, defined),
    checkRequirements(root),
    checkCustomFunctions(root, defined),
    checkHttps(root),
    checkIcons(root, defined, assetsDir),
    checkStrings(root, defined),
    checkStoreRules(root),
  ];
}

module.exports = { checkManifest, pngSize, parseXml, REQUIRED_SETS };
