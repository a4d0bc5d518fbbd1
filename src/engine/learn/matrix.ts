/**
 * The numeric matrix the learners (churn, clusters, twins) work on: rows are customers, columns
 * are features, stored row-major in one Float64Array so a million rows × a few features is one
 * allocation and a row is a contiguous slice. Missing values are imputed before a matrix is made
 * (features.ts), so learners may assume every entry is finite.
 */
export interface FeatureMatrix {
  /** Number of rows (customers). */
  rows: number;
  /** Number of columns (features). */
  columns: number;
  /** Row-major values: entry (i, j) is data[i * columns + j]. Length rows × columns. */
  data: Float64Array;
}

/** The rows listed, in that order, as a new matrix (a training fold, a sample). */
export function selectRows(matrix: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const { columns } = matrix;
  const data = new Float64Array(rows.length * columns);
  for (let i = 0; i < rows.length; i++) {
    data.set(matrix.data.subarray(rows[i] * columns, (rows[i] + 1) * columns), i * columns);
  }
  return { rows: rows.length, columns, data };
}
