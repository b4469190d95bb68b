import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorMessage } from '../../../src/common/error-message.js';
import { fieldPath, formatProblem } from '../../../src/common/source-problem.js';
import { parseYaml, schemaIssues, type YamlDocument } from '../../../src/common/yaml-document.js';

function documentOf(text: string): YamlDocument {
  const parsed = parseYaml(text, 'f.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('\n'));
  return parsed.document;
}

const text = [
  'meters:', //                              1
  '  a: { profile: sdm630 }', //             2
  '  b:', //                                 3
  '    profile: titan', //                   4
  '    settings:', //                        5
  '      ctRatio: 80', //                    6
  'endpoints:', //                           7
  '  - tcp: 1502', //                        8
  '    units:', //                           9
  '      1: a', //                           10
  '      2: b', //                           11
].join('\n');

describe('YAML with line numbers', () => {
  it('finds the line of every field, by key or index, and of the nearest ancestor when absent', () => {
    const doc = documentOf(text);
    expect(doc.lineOf(['meters', 'a', 'profile'])).toBe(2);
    expect(doc.lineOf(['meters', 'b', 'settings', 'ctRatio'])).toBe(6);
    expect(doc.lineOf(['endpoints', 0, 'tcp'])).toBe(8);
    // a number key is found by its text, as a path from a schema names it
    expect(doc.lineOf(['endpoints', 0, 'units', '2'])).toBe(11);
    expect(doc.lineOf(['meters', 'b', 'serialNumber'])).toBe(4); // absent: the mapping of b starts on line 4
    expect(doc.lineOf(['nothing', 'here'])).toBe(1);
    expect(doc.problemAt(['endpoints', 0, 'units', '2'], 'no meter named "b"')).toEqual({ file: 'f.yaml', line: 11, field: 'endpoints[0].units.2', message: 'no meter named "b"' });
    expect(doc.value).toMatchObject({ meters: { b: { settings: { ctRatio: 80 } } } });
  });

  it('reports syntax errors and repeated keys by line', () => {
    const broken = parseYaml('a: {\nb: 1\n', 'x.yaml');
    expect(broken.ok).toBe(false);
    const repeated = parseYaml('meters:\n  a: {}\n  b: {}\n  a: {}\n', 'x.yaml');
    expect(repeated).toEqual({ ok: false, problems: [{ file: 'x.yaml', line: 4, field: '', message: 'YAML: Map keys must be unique' }] });
    expect(parseYaml('a: 1\na: 2\n', 'x.yaml', { uniqueKeys: false }).ok).toBe(true);
  });

  it('indexes a document of 5,000 meters once: the last meter has its own line', () => {
    const big = ['meters:', ...Array.from({ length: 5_000 }, (_, i) => `  m${i}: { profile: sdm630 }`)].join('\n');
    const doc = documentOf(big);
    expect(doc.lineOf(['meters', 'm4999', 'profile'])).toBe(5_001);
    expect(doc.lineOf(['meters', 'm0'])).toBe(2);
  });

  it('words schema issues one way: a missing field, an unknown field at its own key', () => {
    const schema = z.strictObject({ name: z.string(), size: z.number() });
    const data = { size: 'big', colour: 'red' };
    const result = schema.safeParse(data);
    expect(result.success).toBe(false);
    const issues = result.success ? [] : schemaIssues(result.error.issues, data, ['items', 0]);
    expect(issues.map((i) => `${fieldPath(i.path)}: ${i.message}`)).toEqual([
      'items[0].name: required field is missing',
      'items[0].size: expected number, received string',
      'items[0].colour: unknown field "colour"',
    ]);
  });
});

describe('one problem format', () => {
  it('prints file:line: field: message, leaving out what is unknown', () => {
    expect(formatProblem({ file: 'p.yaml', line: 5, field: 'endpoints[0].units.1', message: 'no meter named "b"' })).toBe('p.yaml:5: endpoints[0].units.1: no meter named "b"');
    expect(formatProblem({ file: 'p.yaml', line: 0, field: '', message: 'cannot read' })).toBe('p.yaml: cannot read');
    expect(fieldPath(['registers', 'U L1', 'when', 'model'])).toBe('registers["U L1"].when.model');
    expect(fieldPath([2, 'sag', 'depth'])).toBe('[2].sag.depth');
  });

  it('errorMessage gives an Error its message and anything else its text', () => {
    expect(errorMessage(new RangeError('too far'))).toBe('too far');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
  });
});

describe('src/common imports no other layer', () => {
  it('imports only its own files and packages', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'src', 'common');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const specifiers = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      for (const specifier of specifiers) expect(specifier.startsWith('../'), `${file} imports ${specifier}`).toBe(false);
    }
  });
});
