/**
 * Chunk sizing for the Excel JavaScript API. Excel on the web rejects a request or a response over
 * 5 MB, measured in bytes on the wire (UTF-8: æ, ø, å take two), and every platform caps a read at
 * 5,000,000 cells ("Resource limits and performance optimization for Office Add-ins",
 * learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization).
 * So big reads and writes go in row chunks sized by their measured JSON payload in UTF-8 bytes,
 * one `context.sync()` per chunk, and a chunk Excel still refuses as too large is halved and retried.
 */

/** The payload a chunk aims at: well under the limit, big enough that syncs stay few. */
export const TARGET_CHUNK_BYTES = 1_500_000;
/** Excel on the web's limit on one request or response. */
export const MAX_PAYLOAD_BYTES = 5_000_000;
/** Excel's limit on the cells one read may return. */
export const MAX_CELLS_PER_READ = 5_000_000;
/** Rows of the first read, whose measured size decides the next chunks. */
export const SAMPLE_ROWS = 100;

/** UTF-8 bytes of a text, counted without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}

/** The UTF-8 size of a value's JSON, as it travels in a request or response. */
export function payloadBytes(value: unknown): number {
  const json = JSON.stringify(value);
  return json === undefined ? 0 : utf8Length(json);
}

/** Whether Excel refused a sync for its payload size (error codes of OfficeExtension.Error). */
export function isPayloadTooLarge(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'RequestPayloadSizeLimitExceeded' || code === 'ResponsePayloadSizeLimitExceeded';
}

/**
 * How many rows the next read should ask for. The first read is a sample of SAMPLE_ROWS; later
 * reads use what the rows read so far actually cost in UTF-8 bytes, so a table of long texts gets
 * smaller chunks. `refused` halves the next read after Excel refused one as too large.
 */
export class ReadChunker {
  private rowsSeen = 0;
  private bytesSeen = 0;
  private ceiling = Infinity;

  constructor(private readonly columnCount: number, private readonly targetBytes = TARGET_CHUNK_BYTES) {}

  nextRowCount(remaining: number): number {
    const byCells = Math.floor(MAX_CELLS_PER_READ / Math.max(this.columnCount, 1));
    const byPayload = this.rowsSeen > 0 ? Math.floor(this.targetBytes / Math.max(this.bytesSeen / this.rowsSeen, 1)) : SAMPLE_ROWS;
    return Math.max(1, Math.min(remaining, byPayload, byCells, this.ceiling));
  }

  /** Rows read, and what they cost in the response when more than their values came (number formats). */
  observe(rows: readonly unknown[][], bytes = payloadBytes(rows)): void {
    this.rowsSeen += rows.length;
    this.bytesSeen += bytes;
  }

  /** Excel refused `rowCount` rows: ask for half as many from now on. Returns false when one row is already too many. */
  refused(rowCount: number): boolean {
    if (rowCount <= 1) return false;
    this.ceiling = Math.floor(rowCount / 2);
    return true;
  }
}

/**
 * Splits rows that are already known (what a write sends) into [start, end) slices of about
 * `targetBytes` of JSON (UTF-8) each. A single row larger than the target still gets a slice of its own.
 */
export function chunkByPayload(rowCount: number, rowBytes: (row: number) => number, targetBytes = TARGET_CHUNK_BYTES): [number, number][] {
  const chunks: [number, number][] = [];
  let start = 0;
  let bytes = 0;
  for (let row = 0; row < rowCount; row++) {
    const size = rowBytes(row) + 1;
    if (row > start && bytes + size > targetBytes) {
      chunks.push([start, row]);
      start = row;
      bytes = 0;
    }
    bytes += size;
  }
  if (rowCount > start) chunks.push([start, rowCount]);
  return chunks;
}
