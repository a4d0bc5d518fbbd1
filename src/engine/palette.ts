/**
 * Tier colors: the Okabe–Ito palette, which readers with the common forms of colour blindness can
 * tell apart, each with the text color that reads on it. Models take their tier colors from here.
 */
export const PALETTE = {
  blue: { fill: '#0072B2', font: '#FFFFFF' },
  orange: { fill: '#E69F00', font: '#000000' },
  green: { fill: '#009E73', font: '#FFFFFF' },
  purple: { fill: '#CC79A7', font: '#000000' },
  sky: { fill: '#56B4E9', font: '#000000' },
  vermillion: { fill: '#D55E00', font: '#FFFFFF' },
  yellow: { fill: '#F0E442', font: '#000000' },
  grey: { fill: '#BBBBBB', font: '#000000' },
  black: { fill: '#000000', font: '#FFFFFF' },
} as const;
