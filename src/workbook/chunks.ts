/**
 * Chunk sizing for the Excel JavaScript API. Excel on the web rejects a request or a response over
 * 5 MB and every platform caps a read at 5,000,000 cells, so big reads and writes go in row chunks
 * sized by their estimated JSON payload, one `context.sync()` per chunk.
 */

/** The payload a chunk aims at: well under the limit, big enough that syncs stay few. */
export const TARGET_CHUNK_BYTES = 1_500_000;
/** Excel on the web's limit on one request or response. */
export const MAX_PAYLOAD_BYTES = 5_000_000;
/** Excel's limit on the cells one read may return. */
export const MAX_CELLS_PER_READ = 5_000_000;

/** What a cell costs in JSON before anything is known about the data: a short text and a comma. */
export const FIRST_GUESS_BYTES_PER_CELL = 24;

/** The JSON size of a value, as it travels in a request or response. */
export function payloadBytes(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}

/**
 * How many rows the next read should ask for. The first chunk uses a guess per cell; later chunks
 * use what the rows read so far actually cost, so a table of long texts gets smaller chunks.
 */
export class ReadChunker {
  private rowsSeen = 0;
  private bytesSeen = 0;

  constructor(private readonly columnCount: number, private readonly targetBytes = TARGET_CHUNK_BYTES) {}

  nextRowCount(remaining: number): number {
    const bytesPerRow = this.rowsSeen > 0
      ? Math.max(this.bytesSeen / this.rowsSeen, 1)
      : FIRST_GUESS_BYTES_PER_CELL * Math.max(this.columnCount, 1);
    const byPayload = Math.floor(this.targetBytes / bytesPerRow);
    const byCells = Math.floor(MAX_CELLS_PER_READ / Math.max(this.columnCount, 1));
    return Math.max(1, Math.min(remaining, byPayload, byCells));
  }

  observe(rows: readonly unknown[][]): void {
    this.rowsSeen += rows.length;
    this.bytesSeen += payloadBytes(rows);
  }
}

/**
 * Splits rows that are already known (what a write sends) into [start, end) slices of about
 * `targetBytes` of JSON each. A single row larger than the target still gets a slice of its own.
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
