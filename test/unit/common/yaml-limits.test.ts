import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/common/source-problem.js';
import { maxYamlStringChars, parseYaml } from '../../../src/common/yaml-document.js';
import { aliasBombYaml } from '../../support/hostile-inputs.js';

describe('YAML limits', () => {
  it('reports an alias bomb as a problem at the first alias, never a throw', () => {
    const parsed = parseYaml(aliasBombYaml(), 'bomb.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map(formatProblem)).toEqual(['bomb.yaml:2: YAML: aliases expand too often (more than 100 times; an alias bomb?)']);
  });

  it('still expands a few aliases', () => {
    const parsed = parseYaml('a: &a { x: 1 }\nb: *a\nc: *a\n', 'ok.yaml');
    expect(parsed.ok && parsed.document.value).toEqual({ a: { x: 1 }, b: { x: 1 }, c: { x: 1 } });
  });

  it(`refuses a string over ${maxYamlStringChars} characters with its line and length, not its content`, () => {
    const long = 'y'.repeat(5_000_000);
    const parsed = parseYaml(`meters:\n  a:\n    source: "${long}"\n`, 'big.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const lines = parsed.problems.map(formatProblem);
    expect(lines).toEqual([`big.yaml:3: YAML: a string of 5000000 characters is longer than the limit of ${maxYamlStringChars}`]);
  });

  it('refuses a key over the limit too', () => {
    const parsed = parseYaml(`${'k'.repeat(maxYamlStringChars + 1)}: 1\n`, 'key.yaml');
    expect(parsed.ok).toBe(false);
  });

  it('cuts a long message where problems are formatted', () => {
    const line = formatProblem({ file: 'f.yaml', line: 1, field: 'x', message: 'm'.repeat(10_000) });
    expect(line.length).toBeLessThan(600);
    expect(line).toMatch(/message cut at 500 of 10000 characters\)$/);
  });
});
