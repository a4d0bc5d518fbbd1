/**
 * The small hand-worked customer table both adapter tests use.
 * Revenue total 1000 → the ABCD and Pareto A cut is 300 (500 + 300); the Pareto B cut is 60
 * (500 + 300 + 100 + 60 = 960 ≥ 950). Potential total 2000 → its cut is 400 (800 + 400 + 400).
 * K6's revenue cannot be read, so K6 gets no segment.
 */
export const HEADERS = ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale'];

export const ROWS: (string | number)[][] = [
  ['K1', 'Alfa A/S', 'Mette', 500, 100],
  ['K2', 'Beta ApS', 'Jonas', 300, 800],
  ['K3', 'Gamma I/S', 'Mette', 100, 400],
  ['K4', 'Delta A/S', 'Jonas', 60, 300],
  ['K5', 'Epsilon', 'Mette', 40, 400],
  ['K6', 'Zeta', 'Mette', 'ukendt', 500],
];

/** What ABCD and Pareto give K1…K6 (K6 none). */
export const EXPECTED_ABCD = ['C', 'A', 'B', 'D', 'B', null];
export const EXPECTED_PARETO = ['A', 'A', 'B', 'B', 'C', null];
