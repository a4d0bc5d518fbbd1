/**
 * Writes the standardised log RFM matrix of the UCI Online Retail customers (test/support/retail-rfm.ts,
 * the matrix test/kmeans.test.ts clusters) to a CSV, for bench/peer_retail_kmeans.py to cluster with
 * scikit-learn. Run once to measure the reference figures in the test:
 *   SEGMENTKIT_SHARED_DATA=/work/shared/data npx tsx bench/retail-rfm-matrix.ts /tmp/retail_rfm.csv
 *   /usr/bin/python3 bench/peer_retail_kmeans.py /tmp/retail_rfm.csv
 */
import { writeFileSync } from 'node:fs';
import { matrixCsv, retailRfm } from '../test/support/retail-rfm';

const target = process.argv[2];
if (!target) throw new Error('usage: tsx bench/retail-rfm-matrix.ts <out.csv>');
const rfm = retailRfm();
writeFileSync(target, matrixCsv(rfm.matrix, ['recency', 'frequency', 'monetary']));
console.log(`${rfm.matrix.rows} customers written to ${target} (${rfm.leftOut} of ${rfm.customers} left out: net revenue ≤ 0 or no purchase).`);
