/**
 * Hostile and broken inputs for the .xlsx reader, built as bytes at test time (nothing large is
 * committed). Each function says what a person or an attacker would hand SegmentKit and what it
 * looks like inside. Sources: the ZIP application note (PKWARE APPNOTE 6.3.x, sections 4.3–4.4),
 * DEFLATE (RFC 1951, 3.2.6 fixed Huffman codes), the Compound File Binary format ([MS-CFB]),
 * Office encryption ([MS-OFFCRYPTO] 2.3.4.10, agile), and ECMA-376 Part 2 (packages).
 */
import { deflateSync, strToU8, unzipSync } from 'fflate';
import { updateCrc } from '../../src/workbook/xlsx/zip-write';

// ---------------------------------------------------------------------------------------------
// ZIP writing: our own, because the hostile packages must be able to lie about sizes.

/** One entry of a zip being built: data to store or deflate, or an already-made DEFLATE body. */
export type ZipEntrySpec =
  | { name: string; data: Uint8Array; compress?: boolean }
  | { name: string; deflated: Uint8Array; crc: number; declaredSize: number };

/** CRC-32 (ISO 3309, the one ZIP uses) of `bytes`, unsigned. */
export function crc32(bytes: Uint8Array): number {
  return updateCrc(0, bytes);
}

interface PreparedEntry {
  name: Uint8Array;
  method: 0 | 8;
  body: Uint8Array;
  crc: number;
  declaredSize: number;
}

function prepare(entry: ZipEntrySpec): PreparedEntry {
  const name = strToU8(entry.name);
  if ('deflated' in entry) return { name, method: 8, body: entry.deflated, crc: entry.crc, declaredSize: entry.declaredSize };
  const compress = entry.compress ?? true;
  return {
    name,
    method: compress ? 8 : 0,
    body: compress ? deflateSync(entry.data) : entry.data,
    crc: crc32(entry.data),
    declaredSize: entry.data.length,
  };
}

/** DOS date 2024-03-01 12:00, so built packages are byte-for-byte repeatable. */
const DOS_TIME = 12 << 11;
const DOS_DATE = ((2024 - 1980) << 9) | (3 << 5) | 1;
const UTF8_NAMES = 0x0800;

function localHeader(entry: PreparedEntry): Uint8Array {
  const header = new Uint8Array(30 + entry.name.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x04034b50, true);
  view.setUint16(4, 20, true);
  view.setUint16(6, UTF8_NAMES, true);
  view.setUint16(8, entry.method, true);
  view.setUint16(10, DOS_TIME, true);
  view.setUint16(12, DOS_DATE, true);
  view.setUint32(14, entry.crc, true);
  view.setUint32(18, entry.body.length, true);
  view.setUint32(22, entry.declaredSize, true);
  view.setUint16(26, entry.name.length, true);
  header.set(entry.name, 30);
  return header;
}

function centralHeader(entry: PreparedEntry, offset: number): Uint8Array {
  const header = new Uint8Array(46 + entry.name.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x02014b50, true);
  view.setUint16(4, 20, true);
  view.setUint16(6, 20, true);
  view.setUint16(8, UTF8_NAMES, true);
  view.setUint16(10, entry.method, true);
  view.setUint16(12, DOS_TIME, true);
  view.setUint16(14, DOS_DATE, true);
  view.setUint32(16, entry.crc, true);
  view.setUint32(20, entry.body.length, true);
  view.setUint32(24, entry.declaredSize, true);
  view.setUint16(28, entry.name.length, true);
  view.setUint32(42, offset, true);
  header.set(entry.name, 46);
  return header;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * A zip archive of `entries`, in the order given. Sizes and CRCs are what each entry says, so an
 * entry built with `deflated` may declare anything. No ZIP64: every body stays under 4 GiB.
 */
export function writeZip(entries: ZipEntrySpec[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries.map(prepare)) {
    const header = localHeader(entry);
    central.push(centralHeader(entry, offset));
    chunks.push(header, entry.body);
    offset += header.length + entry.body.length;
  }
  const directory = concat(central);
  const end = new Uint8Array(22);
  const view = new DataView(end.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, entries.length, true);
  view.setUint16(10, entries.length, true);
  view.setUint32(12, directory.length, true);
  view.setUint32(16, offset, true);
  return concat([...chunks, directory, end]);
}

/** The parts of a package, in zip order (fflate lists them as the central directory does). */
export function readZipParts(bytes: Uint8Array): [string, Uint8Array][] {
  return Object.entries(unzipSync(bytes));
}

const text = (value: string): Uint8Array => strToU8(value);
const partText = (parts: [string, Uint8Array][], name: string): string => {
  const found = parts.find(([partName]) => partName === name);
  if (!found) throw new Error(`hostile: the base package has no part ${name}`);
  return new TextDecoder().decode(found[1]);
};

function replacePart(parts: [string, Uint8Array][], name: string, edit: (xml: string) => string): [string, Uint8Array][] {
  const edited = edit(partText(parts, name));
  return parts.map(([partName, data]) => [partName, partName === name ? text(edited) : data]);
}

function zipParts(parts: [string, Uint8Array][]): Uint8Array {
  return writeZip(parts.map(([name, data]) => ({ name, data })));
}

// ---------------------------------------------------------------------------------------------
// A minimal workbook package around one sheet "Kunder", for the packages built from scratch.

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(withSharedStrings: boolean): string {
  const sst = withSharedStrings
    ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    : '';
  return `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    + '<Default Extension="xml" ContentType="application/xml"/>'
    + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    + `${sst}</Types>`;
}

const ROOT_RELS = `${XML_DECLARATION}<Relationships xmlns="${PACKAGE_REL_NS}">`
  + `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK = `${XML_DECLARATION}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`
  + '<sheets><sheet name="Kunder" sheetId="1" r:id="rId1"/></sheets></workbook>';

function workbookRels(withSharedStrings: boolean): string {
  const sst = withSharedStrings ? `<Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>` : '';
  return `${XML_DECLARATION}<Relationships xmlns="${PACKAGE_REL_NS}">`
    + `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>${sst}</Relationships>`;
}

const SMALL_SHEET = `${XML_DECLARATION}<worksheet xmlns="${MAIN_NS}"><sheetData>`
  + '<row r="1"><c r="A1" t="inlineStr"><is><t>Kundenr</t></is></c><c r="B1" t="inlineStr"><is><t>Omsætning</t></is></c></row>'
  + '<row r="2"><c r="A2" t="inlineStr"><is><t>K1</t></is></c><c r="B2"><v>500</v></c></row>'
  + '</sheetData></worksheet>';

const SHEET_USING_SHARED_STRING = `${XML_DECLARATION}<worksheet xmlns="${MAIN_NS}"><sheetData>`
  + '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>';

/** A small valid one-sheet workbook ("Kunder", two rows), built here without any producer. */
export function minimalWorkbook(): Uint8Array {
  return writeZip([
    { name: '[Content_Types].xml', data: text(contentTypes(false)) },
    { name: '_rels/.rels', data: text(ROOT_RELS) },
    { name: 'xl/workbook.xml', data: text(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: text(workbookRels(false)) },
    { name: 'xl/worksheets/sheet1.xml', data: text(SMALL_SHEET) },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Not a workbook at all.

/** 0 bytes: an attachment that did not come through. */
export function emptyFile(): Uint8Array {
  return new Uint8Array(0);
}

/** A Danish Excel CSV export (';', decimal comma) saved under a .xlsx name. */
export function csvRenamedAsXlsx(): Uint8Array {
  return text('Kundenr;Kunde;Kundeansvarlig;Omsætning\r\nK1;Ærø Møbler A/S;Mette;1.234,50\r\nK2;Søstrene Åberg ApS;Jonas;312,50\r\n');
}

/** A PDF under a .xlsx name: neither a zip nor text. */
export function pdfRenamedAsXlsx(): Uint8Array {
  return text('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
}

/** A zip that is a package but no spreadsheet: a Word document's parts. */
export function wordDocumentRenamedAsXlsx(): Uint8Array {
  return writeZip([
    {
      name: '[Content_Types].xml',
      data: text(`${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
        + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        + '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    },
    { name: '_rels/.rels', data: text(`${XML_DECLARATION}<Relationships xmlns="${PACKAGE_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="word/document.xml"/></Relationships>`) },
    { name: 'word/document.xml', data: text(`${XML_DECLARATION}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Kunder</w:t></w:r></w:p></w:body></w:document>`) },
  ]);
}

/**
 * The first `fraction` of a real package, as a download or e-mail cut short leaves it: local
 * headers and part data, no central directory.
 */
export function truncatedZip(base: Uint8Array, fraction = 0.6): Uint8Array {
  return base.slice(0, Math.floor(base.length * fraction));
}

// ---------------------------------------------------------------------------------------------
// Compound File Binary containers: how Excel stores password-protected and legacy workbooks.

const CFB_SECTOR = 512;
const CFB_MINI_SECTOR = 64;
const CFB_MINI_CUTOFF = 4096;
const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
const FATSECT = 0xfffffffd;
const NOSTREAM = 0xffffffff;

/** One stream at the root of a compound file; each must be under 4096 bytes (mini stream). */
export interface CfbStream {
  name: string;
  data: Uint8Array;
}

/** [MS-CFB] 2.6.4: siblings are ordered by name length, then by upper-cased name. */
function cfbNameOrder(a: CfbStream, b: CfbStream): number {
  if (a.name.length !== b.name.length) return a.name.length - b.name.length;
  const left = a.name.toUpperCase();
  const right = b.name.toUpperCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

function writeDirectoryEntry(view: DataView, at: number, entry: {
  name: string; type: 1 | 2 | 5; right: number; child: number; start: number; size: number;
}): void {
  for (let i = 0; i < entry.name.length; i++) view.setUint16(at + i * 2, entry.name.charCodeAt(i), true);
  view.setUint16(at + 64, (entry.name.length + 1) * 2, true);
  view.setUint8(at + 66, entry.type);
  view.setUint8(at + 67, 1); // black: the siblings form a plain binary search tree
  view.setUint32(at + 68, NOSTREAM, true);
  view.setUint32(at + 72, entry.right, true);
  view.setUint32(at + 76, entry.child, true);
  view.setUint32(at + 116, entry.start, true);
  view.setUint32(at + 120, entry.size, true);
}

function emptyDirectoryEntry(view: DataView, at: number): void {
  view.setUint32(at + 68, NOSTREAM, true);
  view.setUint32(at + 72, NOSTREAM, true);
  view.setUint32(at + 76, NOSTREAM, true);
}

/**
 * A version-3 compound file (512-byte sectors) with `streams` at its root, all kept in the mini
 * stream. Layout: header, 1 FAT sector, directory sectors, mini FAT sectors, the mini stream.
 */
export function writeCompoundFile(streams: CfbStream[]): Uint8Array {
  const sorted = [...streams].sort(cfbNameOrder);
  for (const stream of sorted) {
    if (stream.data.length >= CFB_MINI_CUTOFF) throw new Error(`hostile: CFB stream ${stream.name} must stay under 4096 bytes`);
    if (stream.name.length > 31) throw new Error(`hostile: CFB name ${stream.name} is too long`);
  }
  const miniSectorsOf = (size: number) => Math.max(1, Math.ceil(size / CFB_MINI_SECTOR));
  let miniSectorCount = 0;
  const miniStarts = sorted.map((stream) => {
    const start = miniSectorCount;
    miniSectorCount += miniSectorsOf(stream.data.length);
    return start;
  });
  const directorySectors = Math.ceil((sorted.length + 1) / 4);
  const miniFatSectors = Math.ceil(miniSectorCount / 128);
  const miniStreamSize = miniSectorCount * CFB_MINI_SECTOR;
  const miniStreamSectors = Math.ceil(miniStreamSize / CFB_SECTOR);
  const firstDirectory = 1;
  const firstMiniFat = firstDirectory + directorySectors;
  const firstMiniStream = firstMiniFat + miniFatSectors;
  const sectorCount = firstMiniStream + miniStreamSectors;
  if (sectorCount > 128) throw new Error('hostile: CFB too large for one FAT sector');

  const file = new Uint8Array(CFB_SECTOR * (1 + sectorCount));
  const view = new DataView(file.buffer);
  const sectorAt = (sector: number) => CFB_SECTOR * (1 + sector);

  file.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  view.setUint16(24, 0x003e, true);
  view.setUint16(26, 0x0003, true);
  view.setUint16(28, 0xfffe, true);
  view.setUint16(30, 9, true);
  view.setUint16(32, 6, true);
  view.setUint32(44, 1, true);
  view.setUint32(48, firstDirectory, true);
  view.setUint32(56, CFB_MINI_CUTOFF, true);
  view.setUint32(60, miniFatSectors ? firstMiniFat : ENDOFCHAIN, true);
  view.setUint32(64, miniFatSectors, true);
  view.setUint32(68, ENDOFCHAIN, true);
  view.setUint32(76, 0, true);
  for (let i = 1; i < 109; i++) view.setUint32(76 + i * 4, FREESECT, true);

  const fat = sectorAt(0);
  for (let i = 0; i < 128; i++) view.setUint32(fat + i * 4, FREESECT, true);
  view.setUint32(fat, FATSECT, true);
  const chain = (first: number, count: number) => {
    for (let i = 0; i < count; i++) view.setUint32(fat + (first + i) * 4, i === count - 1 ? ENDOFCHAIN : first + i + 1, true);
  };
  chain(firstDirectory, directorySectors);
  chain(firstMiniFat, miniFatSectors);
  chain(firstMiniStream, miniStreamSectors);

  const directory = sectorAt(firstDirectory);
  for (let i = 0; i < directorySectors * 4; i++) emptyDirectoryEntry(view, directory + i * 128);
  writeDirectoryEntry(view, directory, {
    name: 'Root Entry', type: 5, right: NOSTREAM, child: sorted.length ? 1 : NOSTREAM,
    start: miniStreamSectors ? firstMiniStream : ENDOFCHAIN, size: miniStreamSize,
  });
  sorted.forEach((stream, index) => {
    writeDirectoryEntry(view, directory + (index + 1) * 128, {
      name: stream.name, type: 2, right: index + 1 < sorted.length ? index + 2 : NOSTREAM, child: NOSTREAM,
      start: miniStarts[index], size: stream.data.length,
    });
  });

  const miniFat = sectorAt(firstMiniFat);
  for (let i = 0; i < miniFatSectors * 128; i++) view.setUint32(miniFat + i * 4, FREESECT, true);
  sorted.forEach((stream, index) => {
    const count = miniSectorsOf(stream.data.length);
    for (let i = 0; i < count; i++) {
      const sector = miniStarts[index] + i;
      view.setUint32(miniFat + sector * 4, i === count - 1 ? ENDOFCHAIN : sector + 1, true);
    }
    file.set(stream.data, sectorAt(firstMiniStream) + miniStarts[index] * CFB_MINI_SECTOR);
  });
  return file;
}

/** Deterministic bytes that look like cipher text (xorshift32). */
function noise(length: number, seed = 0x2545f491): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary);
}

/**
 * A password-protected workbook as Excel saves one: not a zip but a compound file holding the
 * agile "EncryptionInfo" ([MS-OFFCRYPTO] 2.3.4.10: version 4.4, flags 0x40, then XML) and the
 * "EncryptedPackage" (8-byte plain size, then AES blocks). Smallest plausible: the
 * \u0006DataSpaces storage Excel also writes is left out.
 */
export function encryptedWorkbook(): Uint8Array {
  const xml = `${XML_DECLARATION}<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" `
    + 'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
    + `<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="${base64(noise(16, 7))}"/>`
    + `<dataIntegrity encryptedHmacKey="${base64(noise(64, 11))}" encryptedHmacValue="${base64(noise(64, 13))}"/>`
    + '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
    + `<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="${base64(noise(16, 17))}" `
    + `encryptedVerifierHashInput="${base64(noise(16, 19))}" encryptedVerifierHashValue="${base64(noise(64, 23))}" encryptedKeyValue="${base64(noise(32, 29))}"/>`
    + '</keyEncryptor></keyEncryptors></encryption>';
  const header = new Uint8Array(8);
  const headerView = new DataView(header.buffer);
  headerView.setUint16(0, 4, true);
  headerView.setUint16(2, 4, true);
  headerView.setUint32(4, 0x40, true);
  const encryptionInfo = concat([header, text(xml)]);
  const plainSize = new Uint8Array(8);
  new DataView(plainSize.buffer).setUint32(0, 6_144, true);
  const encryptedPackage = concat([plainSize, noise(2_048)]);
  return writeCompoundFile([
    { name: 'EncryptionInfo', data: encryptionInfo },
    { name: 'EncryptedPackage', data: encryptedPackage },
  ]);
}

/**
 * A legacy .xls (Excel 97–2003): a compound file whose "Workbook" stream holds BIFF8 records,
 * here the workbook-globals BOF ([MS-XLS] 2.4.21) and EOF, the least a BIFF8 stream has.
 */
export function legacyXls(): Uint8Array {
  const bof = new Uint8Array(20);
  const view = new DataView(bof.buffer);
  view.setUint16(0, 0x0809, true);
  view.setUint16(2, 16, true);
  view.setUint16(4, 0x0600, true); // BIFF8
  view.setUint16(6, 0x0005, true); // workbook globals
  view.setUint16(8, 0x0dbb, true);
  view.setUint16(10, 0x07cc, true);
  const eof = new Uint8Array([0x0a, 0x00, 0x00, 0x00]);
  return writeCompoundFile([{ name: 'Workbook', data: concat([bof, eof]) }]);
}

// ---------------------------------------------------------------------------------------------
// Inflation bombs: small DEFLATE bodies that expand to ~1.5 GB.

/** RFC 1951 bit order: fields are packed from the least significant bit of each byte. */
class BitWriter {
  private readonly out: Uint8Array;
  private at = 0;
  private bits = 0;
  private count = 0;

  constructor(capacity: number) {
    this.out = new Uint8Array(capacity);
  }

  /** `length` bits of `value`, least significant first (header fields, extra bits). */
  write(value: number, length: number): void {
    this.bits |= value << this.count;
    this.count += length;
    while (this.count >= 8) {
      this.out[this.at++] = this.bits & 0xff;
      this.bits >>>= 8;
      this.count -= 8;
    }
  }

  /** A Huffman code, whose bits go most significant first (RFC 1951 3.1.1). */
  writeCode(code: number, length: number): void {
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((code >>> i) & 1) << (length - 1 - i);
    this.write(reversed, length);
  }

  finish(): Uint8Array {
    if (this.count > 0) this.out[this.at++] = this.bits & 0xff;
    return this.out.slice(0, this.at);
  }
}

/** RFC 1951 3.2.6: the fixed Huffman code of a literal byte. */
function writeFixedLiteral(writer: BitWriter, byte: number): void {
  if (byte < 144) writer.writeCode(0x30 + byte, 8);
  else writer.writeCode(0x190 + byte - 144, 9);
}

const MATCH_LENGTH = 258;
/** Length 258 is symbol 285 (8-bit code 11000101), distance 1 is distance code 0 (5 bits 00000). */
const MATCH_258_DISTANCE_1_BITS = 0b10100011; // 11000101 reversed; the 5 zero bits follow
const MATCH_BITS = 13;

/**
 * One final fixed-Huffman DEFLATE block (raw, as zip stores it) that inflates to `prefix`, then
 * `matches` × 258 copies of prefix's last byte, then `suffix`: 13 bits per 258 bytes (~160:1).
 */
export function deflateRepeatingLastByte(prefix: Uint8Array, matches: number, suffix: Uint8Array): Uint8Array {
  if (prefix.length === 0) throw new Error('hostile: a distance-1 match needs one byte before it');
  const bitCount = 3 + (prefix.length + suffix.length) * 9 + matches * MATCH_BITS + 7;
  const writer = new BitWriter(Math.ceil(bitCount / 8) + 8);
  writer.write(1, 1); // BFINAL
  writer.write(1, 2); // BTYPE 01: fixed Huffman codes
  for (const byte of prefix) writeFixedLiteral(writer, byte);
  for (let i = 0; i < matches; i++) writer.write(MATCH_258_DISTANCE_1_BITS, MATCH_BITS);
  for (const byte of suffix) writeFixedLiteral(writer, byte);
  writer.writeCode(0, 7); // end of block (symbol 256)
  return writer.finish();
}

/** What one bomb is made of: the part it sits in, how much it inflates to and what it declares. */
export interface InflationBombOptions {
  /** Which part explodes: the sheet itself, or the shared strings it refers to. */
  part: 'sheet' | 'sharedStrings';
  /** Bytes the part really inflates to; ~1.5 GB by default. */
  inflatedBytes?: number;
  /** Uncompressed size the zip headers declare; 1 MiB by default (a lie). */
  declaredBytes?: number;
}

/** A built bomb and the numbers a test needs about it. */
export interface InflationBomb {
  bytes: Uint8Array;
  partName: string;
  /** Exactly what the part inflates to. */
  inflatedBytes: number;
  declaredBytes: number;
  /** The bomb part's DEFLATE body, for checking what it inflates to. */
  deflated: Uint8Array;
}

/**
 * A valid-looking one-sheet workbook whose sheet part (or shared-strings part) inflates to
 * `inflatedBytes` of well-formed XML, one cell whose text is 'A' repeated, while its local and
 * central headers declare `declaredBytes` and a CRC that does not match. About 9 MB for 1.5 GB.
 */
export function inflationBombWorkbook(options: InflationBombOptions): InflationBomb {
  const inflatedTarget = options.inflatedBytes ?? 1_500_000_000;
  const declaredBytes = options.declaredBytes ?? 1 << 20;
  const isSheet = options.part === 'sheet';
  const prefix = text(isSheet
    ? `${XML_DECLARATION}<worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>A`
    : `${XML_DECLARATION}<sst xmlns="${MAIN_NS}" count="1" uniqueCount="1"><si><t>A`);
  const suffix = text(isSheet ? '</t></is></c></row></sheetData></worksheet>' : '</t></si></sst>');
  const matches = Math.max(0, Math.floor((inflatedTarget - prefix.length - suffix.length) / MATCH_LENGTH));
  const deflated = deflateRepeatingLastByte(prefix, matches, suffix);
  const inflatedBytes = prefix.length + matches * MATCH_LENGTH + suffix.length;
  const partName = isSheet ? 'xl/worksheets/sheet1.xml' : 'xl/sharedStrings.xml';
  const bomb: ZipEntrySpec = { name: partName, deflated, crc: 0x1badb002, declaredSize: declaredBytes };
  const entries: ZipEntrySpec[] = [
    { name: '[Content_Types].xml', data: text(contentTypes(!isSheet)) },
    { name: '_rels/.rels', data: text(ROOT_RELS) },
    { name: 'xl/workbook.xml', data: text(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: text(workbookRels(!isSheet)) },
    isSheet ? bomb : { name: 'xl/worksheets/sheet1.xml', data: text(SHEET_USING_SHARED_STRING) },
  ];
  if (!isSheet) entries.push(bomb);
  return { bytes: writeZip(entries), partName, inflatedBytes, declaredBytes, deflated };
}

// ---------------------------------------------------------------------------------------------
// XML tricks: DOCTYPEs with entities.

/** Nine levels of ten: &lol9; expands to 10^9 "lol"s (3 GB) if a parser expands entities. */
const BILLION_LAUGHS_DTD = (root: string): string => {
  const levels = ['<!ENTITY lol "lol">'];
  for (let level = 1; level <= 9; level++) {
    const previous = level === 1 ? 'lol' : `lol${level - 1}`;
    levels.push(`<!ENTITY lol${level} "${`&${previous};`.repeat(10)}">`);
  }
  return `<!DOCTYPE ${root} [${levels.join('')}]>`;
};

const EXTERNAL_ENTITY_DTD = (root: string): string => `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`;

/** Which XML trick, and in which part of a real package. */
export type EntityAttack = 'billionLaughs' | 'externalEntity';

function sheetPartOf(parts: [string, Uint8Array][], sheetName: string): string {
  const workbook = partText(parts, 'xl/workbook.xml');
  const sheet = new RegExp(`<sheet\\b[^>]*\\bname="${sheetName}"[^>]*>`).exec(workbook);
  const id = sheet && /\br:id="([^"]+)"/.exec(sheet[0]);
  const rels = partText(parts, 'xl/_rels/workbook.xml.rels');
  const relation = id && new RegExp(`<Relationship\\b[^>]*\\bId="${id[1]}"[^>]*>`).exec(rels);
  const target = relation && /\bTarget="([^"]+)"/.exec(relation[0]);
  if (!target) throw new Error(`hostile: cannot find sheet ${sheetName} in the base package`);
  return target[1].startsWith('/') ? target[1].slice(1) : `xl/${target[1]}`;
}

function withDoctype(xml: string, root: string, attack: EntityAttack): string {
  const dtd = attack === 'billionLaughs' ? BILLION_LAUGHS_DTD(root) : EXTERNAL_ENTITY_DTD(root);
  const reference = attack === 'billionLaughs' ? '&lol9;' : '&xxe;';
  const withDtd = xml.replace(new RegExp(`<${root}\\b`), `${dtd}<${root}`);
  if (root === 'workbook') {
    // A defined name's text is element content, where both kinds of entity may be referenced.
    const name = `<definedName name="Kilde">${reference}</definedName>`;
    if (withDtd.includes('<definedNames>')) return withDtd.replace('<definedNames>', `<definedNames>${name}`);
    if (withDtd.includes('<definedNames/>')) return withDtd.replace('<definedNames/>', `<definedNames>${name}</definedNames>`);
    return withDtd.replace('</sheets>', `</sheets><definedNames>${name}</definedNames>`);
  }
  const cell = `<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>${reference}</t></is></c></row>`;
  return withDtd.includes('</sheetData>')
    ? withDtd.replace('</sheetData>', `${cell}</sheetData>`)
    : withDtd.replace('<sheetData/>', `<sheetData>${cell}</sheetData>`);
}

/**
 * `base` with a DOCTYPE declaring `attack` added to xl/workbook.xml (the entity used as the text
 * of a defined name) or to the sheet named `sheetName` (the entity used in a cell of its last row).
 */
export function entityAttackWorkbook(base: Uint8Array, part: 'workbook' | 'sheet', attack: EntityAttack, sheetName = 'Kunder'): Uint8Array {
  const parts = readZipParts(base);
  const partName = part === 'workbook' ? 'xl/workbook.xml' : sheetPartOf(parts, sheetName);
  const root = part === 'workbook' ? 'workbook' : 'worksheet';
  return zipParts(replacePart(parts, partName, (xml) => withDoctype(xml, root, attack)));
}

// ---------------------------------------------------------------------------------------------
// Zip entry names that are paths out of the folder ("zip slip").

/** The paths the traversal entries would be written to if a reader extracted them from `cwd`. */
export function traversalTargets(marker: string): { relative: string; absolute: string } {
  return {
    relative: `../../../../../../tmp/segmentkit-zip-slip-${marker}.txt`,
    absolute: `/tmp/segmentkit-zip-slip-${marker}-absolute.txt`,
  };
}

/**
 * `base` plus two entries whose names climb out of any folder (`../../…/tmp/…`) or are absolute
 * (`/tmp/…`). They are not valid part names (ECMA-376 Part 2, 6.2.2: no "." or ".." segments, no
 * leading empty segment); a reader that used entry names as file paths would write them.
 */
export function traversalNamesWorkbook(base: Uint8Array, marker: string): Uint8Array {
  const targets = traversalTargets(marker);
  const parts = readZipParts(base);
  parts.push([targets.relative, text('written through a ../ zip entry name\n')]);
  parts.push([targets.absolute, text('written through an absolute zip entry name\n')]);
  return zipParts(parts);
}

// ---------------------------------------------------------------------------------------------
// A workbook with parts SegmentKit must carry over and never follow.

/** The parts withExternalLinkAndConnections adds, as part names. */
export const EXTERNAL_LINK_PARTS = {
  externalLink: 'xl/externalLinks/externalLink1.xml',
  externalLinkRels: 'xl/externalLinks/_rels/externalLink1.xml.rels',
  connections: 'xl/connections.xml',
} as const;

/** The cell the external reference is written into, on the sheet named by the options. */
export const EXTERNAL_REFERENCE_CELL = { address: 'B3', formula: '[1]Sheet1!$A$1', cachedValue: 42, label: 'Budget' } as const;

const EXTERNAL_LINK_XML = `${XML_DECLARATION}<externalLink xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`
  + '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
  + `<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>${EXTERNAL_REFERENCE_CELL.cachedValue}</v></cell></row></sheetData></sheetDataSet>`
  + '</externalBook></externalLink>';

const EXTERNAL_LINK_RELS = `${XML_DECLARATION}<Relationships xmlns="${PACKAGE_REL_NS}">`
  + `<Relationship Id="rId1" Type="${REL_NS}/externalLinkPath" Target="Budget%202024.xlsx" TargetMode="External"/></Relationships>`;

const CONNECTIONS_XML = `${XML_DECLARATION}<connections xmlns="${MAIN_NS}">`
  + '<connection id="1" name="Kunder fra CRM" type="5" refreshedVersion="6" background="1" saveData="1">'
  + '<dbPr connection="Provider=SQLOLEDB.1;Integrated Security=SSPI;Data Source=crm;Initial Catalog=Salg" command="SELECT * FROM Kunder" commandType="2"/>'
  + '</connection></connections>';

function addOverrides(contentTypesXml: string): string {
  const overrides = `<Override PartName="/${EXTERNAL_LINK_PARTS.externalLink}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>`
    + `<Override PartName="/${EXTERNAL_LINK_PARTS.connections}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml"/>`;
  return contentTypesXml.replace('</Types>', `${overrides}</Types>`);
}

function addWorkbookRelationships(relsXml: string): string {
  const added = `<Relationship Id="rIdSkExternal1" Type="${REL_NS}/externalLink" Target="externalLinks/externalLink1.xml"/>`
    + `<Relationship Id="rIdSkConnections" Type="${REL_NS}/connections" Target="connections.xml"/>`;
  return relsXml.replace('</Relationships>', `${added}</Relationships>`);
}

/** externalReferences follows sheets (and functionGroups) in CT_Workbook's sequence. */
function addExternalReference(workbookXml: string): string {
  const prefix = /xmlns:(\w+)="http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships"/.exec(workbookXml)?.[1] ?? 'r';
  const reference = `<externalReferences><externalReference ${prefix}:id="rIdSkExternal1"/></externalReferences>`;
  return workbookXml.replace('</sheets>', `</sheets>${reference}`);
}

function addExternalReferenceRow(sheetXml: string): string {
  const { address, formula, cachedValue, label } = EXTERNAL_REFERENCE_CELL;
  const row = address.replace(/^[A-Z]+/, '');
  const cells = `<c r="A${row}" t="inlineStr"><is><t>${label}</t></is></c><c r="${address}"><f>${formula}</f><v>${cachedValue}</v></c>`;
  if (new RegExp(`<row\\b[^>]*\\br="${row}"`).test(sheetXml)) throw new Error(`hostile: row ${row} is already used in the base sheet`);
  return sheetXml
    .replace('</sheetData>', `<row r="${row}">${cells}</row></sheetData>`)
    .replace(/<dimension ref="([A-Z]+\d+):[A-Z]+\d+"\/>/, `<dimension ref="$1:${address}"/>`);
}

/**
 * A real producer's package (`base`, e.g. the xlsxwriter .xlsm with its VBA project) plus an
 * external link to "Budget 2024.xlsx" (xl/externalLinks/externalLink1.xml with its rels, an
 * externalReference in the workbook) used by the formula `=[1]Sheet1!$A$1` in cell B3 of
 * `sheetName`, and a database connection (xl/connections.xml), with content types and
 * relationships as Excel writes them, so the package stays one Excel opens.
 */
export function withExternalLinkAndConnections(base: Uint8Array, sheetName = 'Noter'): Uint8Array {
  let parts = readZipParts(base);
  const sheetPart = sheetPartOf(parts, sheetName);
  parts = replacePart(parts, '[Content_Types].xml', addOverrides);
  parts = replacePart(parts, 'xl/_rels/workbook.xml.rels', addWorkbookRelationships);
  parts = replacePart(parts, 'xl/workbook.xml', addExternalReference);
  parts = replacePart(parts, sheetPart, addExternalReferenceRow);
  parts.push(
    [EXTERNAL_LINK_PARTS.externalLink, text(EXTERNAL_LINK_XML)],
    [EXTERNAL_LINK_PARTS.externalLinkRels, text(EXTERNAL_LINK_RELS)],
    [EXTERNAL_LINK_PARTS.connections, text(CONNECTIONS_XML)],
  );
  return zipParts(parts);
}
