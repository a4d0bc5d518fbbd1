import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const DANISH = JSON.parse(readFileSync(path.join(ROOT, 'src', 'functions', 'functions-da.json'), 'utf8')) as
  Record<string, { description: string; parameters: Record<string, { name: string; description: string }> }>;

describe('the README for Danish Excel', () => {
  it('gives every function under its one name with the Danish description and argument names and descriptions Excel shows', () => {
    const section = README.slice(README.indexOf('### In Danish Excel'), README.indexOf('## How it is built'));
    expect(section).toContain('The function names are the same in every Excel language');
    for (const [id, metadata] of Object.entries(DANISH)) {
      const line = section.split('\n').find((candidate) => candidate.startsWith(`| \`=SEGMENT.${id}(`));
      expect(line, id).toBeDefined();
      expect(line, id).toContain(metadata.description);
      for (const parameter of Object.values(metadata.parameters)) expect(line, `${id} ${parameter.name}`).toContain(`\`${parameter.name}\`: ${parameter.description}`);
    }
  });
});
