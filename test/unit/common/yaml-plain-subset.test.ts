/**
 * The fast YAML reader against the yaml package (the full path): wherever the fast reader accepts
 * a text, the full path accepts it too, with the same data (values, types, -0, key order) and the
 * same line for every field and for every absent field under every node. The corpus: the
 * repository's own YAML files, a 2,000-meter panel config, hand-picked cases at the edges of the
 * subset, random documents in many styles, real files mutated, and line soup.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { FieldPath } from '../../../src/common/source-problem.js';
import { maxYamlStringChars, parseYaml, parseYamlFully } from '../../../src/common/yaml-document.js';
import { treeLines } from '../../../src/common/yaml-line-tree.js';
import { parseYamlSubset } from '../../../src/common/yaml-plain-subset.js';
import { bigPanelConfig } from '../../support/hostile-inputs.js';

const root = join(import.meta.dirname, '..', '..', '..');

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : yamlFilesUnder(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** Objects as ordered entries, so that key order is compared too (toStrictEqual already tells -0 from 0). */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value !== null && typeof value === 'object') {
    return { prototype: Object.getPrototypeOf(value) === Object.prototype ? 'Object' : 'other', entries: Object.entries(value).map(([k, v]) => [k, ordered(v)]) };
  }
  return value;
}

/** A path to every node of the data, and to an absent child of each (a key, an index, a numeric text). */
function pathsOf(value: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  out.push(prefix, [...prefix, 'no such key'], [...prefix, 99_999], [...prefix, '0']);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  return out;
}

/** Whether the fast reader took the text; when it did, the full path must agree with it. */
function agrees(text: string): boolean {
  const fast = parseYamlSubset(text, maxYamlStringChars);
  if (fast === undefined) return false;
  const shown = JSON.stringify(text.length > 600 ? `${text.slice(0, 600)}...` : text);
  const full = parseYamlFully(text, 'f.yaml');
  if (!full.ok) throw new Error(`the fast reader accepted a text the full path refuses (${full.problems.map((p) => `${p.line}: ${p.message}`).join('; ')}): ${shown}`);
  expect(fast.value, shown).toStrictEqual(full.document.value);
  expect(ordered(fast.value), shown).toStrictEqual(ordered(full.document.value));
  const fastLineOf = treeLines(fast.lines);
  for (const path of pathsOf(full.document.value)) {
    const fastLine = fastLineOf(path);
    const fullLine = full.document.lineOf(path);
    if (fastLine !== fullLine) expect(fastLine, `line of ${JSON.stringify(path)} in ${shown}`).toBe(fullLine);
  }
  return true;
}

describe('the fast YAML reader agrees with the yaml package', () => {
  it("reads every register map and example of the repository, as the yaml package does", () => {
    const files = [...yamlFilesUnder(join(root, 'register-map')), ...yamlFilesUnder(join(root, 'examples'))];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(agrees(readFileSync(file, 'utf8')), file).toBe(true);
  });

  it('agrees on every other YAML file of the repository (fixtures, deployment) it accepts', () => {
    const files = yamlFilesUnder(root).filter((f) => !f.includes(`${join(root, 'register-map')}`) && !f.includes(join(root, 'examples')));
    expect(files.length).toBeGreaterThan(20);
    const accepted = files.filter((file) => agrees(readFileSync(file, 'utf8')));
    expect(accepted.length).toBeGreaterThan(files.length / 2);
  });

  it('reads a 2,000-meter panel config (and one with every binding wrong) with every line in place', () => {
    expect(agrees(bigPanelConfig(2_000))).toBe(true);
    expect(agrees(bigPanelConfig(300, true))).toBe(true);
    const doc = parseYamlSubset(bigPanelConfig(2_000), maxYamlStringChars);
    const lineOf = treeLines(doc?.lines ?? 0);
    expect(lineOf(['meters', 'm1999', 'serialNumber'])).toBe(2_001);
    expect(lineOf(['endpoints', 3, 'units', '25'])).toBe(2_003 + 3 * 250 + 2 + 25);
  });

  const accepted = [
    // scalars of the core schema, plain and quoted
    'a: 1\nb: -0\nc: +12\nd: 007\ne: 0o17\nf: 0x1F\ng: 0xff\nh: 1e3\ni: .5\nj: 1.\nk: -.5E-2\nl: 12345678901234567890\n',
    'a: .inf\nb: -.Inf\nc: +.INF\nd: .nan\ne: .NaN\nf: ~\ng: null\nh: Null\ni: NULL\nj: true\nk: False\nl: TRUE\nm: yes\nn: 0b101\no: 1_000\n',
    "a: 'it''s'\nb: \"q\\\"uote\\\\ \\n\\t\\x41\\u00e9\\U0001F600\\/\\_\\N\"\nc: ''\nd: \"\"\ne: '#not a comment'\nf: \"a: b\"\n",
    'url: mqtt://host:1883/x\ntcp: 127.0.0.1:502\nhash: a#b\ncomment: a # b\nbrackets: a[0]{1},2\ndash: -x\nq: a?b\n',
    // keys
    '1: one\n"1": quoted one\n2.0: float two\n"null": n\n~: t\ntrue: b\n"a b": c\n\'k\': v\n-x: 1\n.5: h\n',
    'toString: 1\nconstructor: 2\nhasOwnProperty: 3\n',
    // nesting, compact sequences, nulls, comments and blank lines
    '# head\n\nmeters:\n  a: { profile: sdm630 }   # trailing\n\n  b:\n    # inside\n    profile: titan\n    settings:\n      ctRatio: 80\nendpoints:\n- tcp: 1502\n  units:\n    1: a\n    2: b\n-\n- x\n',
    'k:\n  - a\n  -\n  - b: 1\n    c:\n    d: [1, "two", \'three\', {e: f}, []]\n  - {}\nz:\n',
    'top:\n  deep:\n    deeper:\n      deepest: 1\n  back: 2\nlast:\n',
    '- a: 1\n  b: 2\n- c\n-\n  - d\n  - e\n',
    '  indented: root\n  second: 2\n',
    // block scalars
    'lit: |\n  one\n   two\n\n  three\n\n\nclip: |\n  x\nstrip: |-\n  x\n\nkeep: |+\n  x\n\n\nfold: >\n  a\n  b\n\n  c\n\n\n  d\nfoldstrip: >-\n  e\n  f\n',
    'desc: >\n\n  leading blank\n  line\nafter: 1\n',
    'seq:\n- |\n  in a sequence\n- >-\n  folded\n  in one\n',
    'comment-after-scalar: |\n  text\n# a comment\nnext: 1\n',
    // flow collections
    'f: {a: 1, b: [x, y, {c: d}], "e": \'f\', g: "h, i"}\nempty: {}\nnone: []\nurl: [http://x, a:b]\n',
    // Windows line ends
    'a: 1\r\nb:\r\n  c: |\r\n    x\r\n    y\r\n  d: [1, 2]\r\n',
    // no final line break
    'a: 1\nb: [2]',
    // unicode
    'name: Zähler ⚡ 😀\n"ключ": значение\n',
    // spacing
    'a  : 1\n"b" : 2\nc:    spaced   # comment\nd: {e : 1 ,  f:  [ g ,h ] }\n-1: minus\n  \n\n   \ng:\n# at column 0\n  h: 1\n',
    'items:\n    - a: 1\n      b:\n        - c\n    -   \n    - d: |\n          keep: this # too\n            and this\n      e: 2\n',
    'only:\n',
    'tail: |\n  x\n\n\n',
    'tail: >+\n  x\n\n',
  ];

  it.each(accepted.map((text, i) => [i, text]))('case %i at the edges of the subset', (_, text) => {
    agrees(text);
  });

  it('takes every one of those cases itself (so the comparisons above are not empty)', () => {
    expect(accepted.filter((text) => parseYamlSubset(text, maxYamlStringChars) === undefined)).toEqual([]);
  });

  it('leaves to the full path what it does not read, and what the full path reports', () => {
    const leftOut = [
      '', '# only a comment\n', 'scalar at the root\n', '[flow, root]\n', '---\na: 1\n', 'a: 1\n...\n', '%YAML 1.2\n---\na: 1\n',
      'a: &x 1\nb: *x\n', 'a: !tag 1\n', '? complex\n: key\n', 'a: b: c\n', 'a:\n  multi\n  line\n', 'a: "multi\n  line"\n',
      'a: [1,\n  2]\n', 'a:\tb\n', '\ufeffa: 1\n', 'a: 1\na: 2\n', '1: x\n01: y\n', 'a: |2\n  x\n', 'a: |\n  x', 'a: [1, 2, ]\n',
      '{a: 1}\n', 'a: {b}\n', 'a: "\\q"\n', `${'k'.repeat(1025)}: 1\n`, `a: ${'x'.repeat(maxYamlStringChars + 1)}\n`, 'a: 1\r2\n',
      'a: >\n  folded\n    more indented\n', '- a\n  b\n', '__proto__: {x: 1}\n', '.nan: 1\n', 'a: `x`\n', 'a: @x\n',
      'a: - b\n', 'a: [b] c\n', 'a: "b"c\n', 'a:\n- b\nc: 1\n  d: 2\n',
    ];
    for (const text of leftOut) expect(parseYamlSubset(text, maxYamlStringChars), JSON.stringify(text)).toBeUndefined();
    // ... and parseYaml still reports them as before
    expect(parseYaml('a: 1\na: 2\n', 'x.yaml')).toEqual({ ok: false, problems: [{ file: 'x.yaml', line: 2, field: '', message: 'YAML: Map keys must be unique' }] });
  });
});

// Random documents: a tree of mappings, sequences and scalars, each node with its own style.
type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';
interface ScalarNode { readonly kind: 'scalar'; readonly text: string; readonly style: ScalarStyle; readonly chomp: '' | '-' | '+'; readonly comment: boolean }
interface MapNode { readonly kind: 'map'; readonly entries: ReadonlyArray<{ readonly key: string; readonly keyStyle: 'plain' | 'single' | 'double'; readonly value: DocNode }>; readonly flow: boolean }
interface SeqNode { readonly kind: 'seq'; readonly items: readonly DocNode[]; readonly flow: boolean; readonly compact: boolean }
type DocNode = ScalarNode | MapNode | SeqNode;

const interesting = [
  'null', 'Null', '~', '', 'true', 'False', 'yes', '0', '-0', '+1', '007', '0o17', '0x1F', '0b1', '1e3', '1E-3', '.5', '1.', '.inf', '-.Inf', '.nan', '1_000',
  '12345678901234567890', 'a: b', 'a:b', 'a #b', 'a#b', '#c', '- x', '-x', '-', '?', '? x', ':x', 'x:', '--- x', '---', '...', '[a]', '{a}', 'a,b', '&a', '*a', '!t',
  "it's", 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak', ' lead', 'trail ', 'é', '😀', '|', '>', '%', '@', '`',
];
const word = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_.-]{0,8}$/);
const scalarText = fc.oneof(word, fc.constantFrom(...interesting), fc.string({ maxLength: 12 }), fc.double().map(String), fc.integer().map(String));
const scalarNode: fc.Arbitrary<ScalarNode> = fc.record({
  kind: fc.constant('scalar' as const),
  text: scalarText,
  style: fc.constantFrom<ScalarStyle>('plain', 'plain', 'plain', 'single', 'double', 'literal', 'folded'),
  chomp: fc.constantFrom('' as const, '-' as const, '+' as const),
  comment: fc.boolean(),
});
const { node: docNode } = fc.letrec<{ node: DocNode; map: MapNode; seq: SeqNode }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarNode, tie('map'), tie('seq')),
  map: fc.record({
    kind: fc.constant('map' as const),
    entries: fc.array(fc.record({ key: fc.oneof(word, fc.constantFrom(...interesting)), keyStyle: fc.constantFrom('plain' as const, 'plain' as const, 'single' as const, 'double' as const), value: tie('node') }), { maxLength: 5 }),
    flow: fc.boolean(),
  }),
  seq: fc.record({ kind: fc.constant('seq' as const), items: fc.array(tie('node'), { maxLength: 4 }), flow: fc.boolean(), compact: fc.boolean() }),
}));

function quoted(text: string, style: 'plain' | 'single' | 'double' | ScalarStyle): string {
  if (style === 'single') return `'${text.replace(/'/g, "''")}'`;
  if (style === 'double') return JSON.stringify(text);
  return text;
}

function flowText(node: DocNode): string {
  if (node.kind === 'scalar') return quoted(node.text, node.style === 'literal' || node.style === 'folded' ? 'double' : node.style);
  if (node.kind === 'seq') return `[${node.items.map(flowText).join(', ')}]`;
  return `{${node.entries.map((e) => `${quoted(e.key, e.keyStyle)}: ${flowText(e.value)}`).join(', ')}}`;
}

/** The lines of `node` as the value after an indicator at column `column` (a key's ':' or an item's '-'), the first line being the rest of the indicator's line. */
function blockValue(node: DocNode, column: number, step: number): string[] {
  if (node.kind === 'scalar') {
    if (node.style === 'literal' || node.style === 'folded') {
      const pad = ' '.repeat(column + step);
      const body = node.text.split('\n').map((l) => (l === '' ? '' : pad + l));
      return [` ${node.style === 'literal' ? '|' : '>'}${node.chomp}${node.comment ? ' # c' : ''}`, ...body];
    }
    return [` ${quoted(node.text, node.style)}${node.comment ? ' # c' : ''}`];
  }
  const empty = node.kind === 'map' ? node.entries.length === 0 : node.items.length === 0;
  if (node.flow || empty) return [` ${flowText(node)}`];
  return ['', ...blockLines(node, column + step, step)];
}

function blockLines(node: MapNode | SeqNode, column: number, step: number): string[] {
  const pad = ' '.repeat(column);
  const out: string[] = [];
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      const value = entry.value;
      const compactSeq = value.kind === 'seq' && !value.flow && value.compact && value.items.length > 0;
      const [first = '', ...rest] = compactSeq ? ['', ...blockLines(value, column, step)] : blockValue(value, column, step);
      out.push(`${pad}${quoted(entry.key, entry.keyStyle)}:${first}`, ...rest);
    }
    return out;
  }
  for (const item of node.items) {
    const nested = (item.kind === 'map' && !item.flow && item.entries.length > 0) || (item.kind === 'seq' && !item.flow && item.items.length > 0);
    if (nested && node.compact) {
      // `- key: value` with the rest of the mapping under the key
      const lines = blockLines(item, column + 2, step);
      out.push(`${pad}- ${(lines[0] ?? '').slice(column + 2)}`, ...lines.slice(1));
    } else {
      const [first = '', ...rest] = blockValue(item, column, step);
      out.push(`${pad}-${first}`, ...rest);
    }
  }
  return out;
}

const randomDocument = fc
  .record({ root: fc.oneof(docNode, docNode.map((value): MapNode => ({ kind: 'map', entries: [{ key: 'root', keyStyle: 'plain', value }], flow: false }))), step: fc.integer({ min: 1, max: 4 }), crlf: fc.boolean(), blank: fc.boolean() })
  .map(({ root, step, crlf, blank }) => {
    const lines = root.kind === 'scalar' ? [flowText(root)] : root.flow ? [flowText(root)] : blockLines(root, 0, step);
    const withBlanks = blank ? lines.flatMap((l, i) => (i % 3 === 2 ? [l, '', '  # comment'] : [l])) : lines;
    return withBlanks.join(crlf ? '\r\n' : '\n') + '\n';
  });

/** Real files with lines dropped, doubled, re-indented or replaced by fragments. */
const realFiles = [...yamlFilesUnder(join(root, 'register-map')), join(root, 'examples', 'panel.yaml')].map((f) => readFileSync(f, 'utf8'));
const fragments = ['a: 1', '- x', 'k:', '  - y', '# c', '', 'b: [1, 2]', 'c: {d: e}', 'f: |', '  text', 'g: >-', 'h: "q"', "i: 'r'", 'j: &a 1', 'l: *a', '---', 'm: a: b', ' n: 2', '\tt: 1', 'o: "open'];
const mutatedFile = fc
  .record({
    file: fc.constantFrom(...realFiles),
    edits: fc.array(fc.record({ kind: fc.constantFrom('drop', 'double', 'indent', 'replace'), at: fc.nat(), fragment: fc.constantFrom(...fragments) }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ file, edits }) => {
    const lines = file.split('\n');
    for (const edit of edits) {
      const at = edit.at % lines.length;
      if (edit.kind === 'drop') lines.splice(at, 1);
      else if (edit.kind === 'double') lines.splice(at, 0, lines[at] ?? '');
      else if (edit.kind === 'indent') lines[at] = `  ${lines[at] ?? ''}`;
      else lines[at] = edit.fragment;
    }
    return lines.join('\n');
  });

/** Lines made of YAML's punctuation, to probe where the subset ends. */
const lineSoup = fc
  .array(
    fc.tuple(fc.integer({ min: 0, max: 6 }), fc.array(fc.constantFrom('a', 'b:', ': ', ':', '- ', '-', '# c', ' ', '"x"', "'y'", '[', ']', '{', '}', ', ', '|', '>-', '1', '.5', 'null', '~', '"\\u00e9"', '?', '&a', '*a', 'é'), { maxLength: 6 })),
    { minLength: 1, maxLength: 8 },
  )
  .map((lines) => lines.map(([indent, parts]) => ' '.repeat(indent) + parts.join('')).join('\n') + '\n');

describe('random YAML: the fast reader agrees wherever it reads', () => {
  it('random documents in many styles (the fast reader takes a good share of them)', () => {
    let taken = 0;
    let runs = 0;
    fc.assert(
      fc.property(randomDocument, (text) => {
        runs += 1;
        if (agrees(text)) taken += 1;
      }),
      { numRuns: 1500 },
    );
    expect(taken / runs).toBeGreaterThan(0.3);
  }, 60_000);

  it('what the yaml package writes (its own stringify of arbitrary data)', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }).filter((value) => value !== undefined), (value) => {
        if (agrees(stringify(value))) taken += 1;
      }),
      { numRuns: 1000 },
    );
    expect(taken).toBeGreaterThan(300);
  }, 60_000);

  it('plain scalars that look like numbers, booleans or nulls, as values and as keys', () => {
    const lookalike = fc.stringMatching(/^[-+.0-9a-fA-FxoeEinfINFaNuLlTrRsS~_]{1,8}$/);
    let taken = 0;
    fc.assert(
      fc.property(lookalike, lookalike, (key, value) => {
        if (agrees(`${key}: ${value}\nlist: [${value}, ${key}]\n`)) taken += 1;
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(1500);
  });

  it('real files mutated line by line', () => {
    fc.assert(fc.property(mutatedFile, (text) => void agrees(text)), { numRuns: 150 });
  }, 60_000);

  it('line soup', () => {
    fc.assert(fc.property(lineSoup, (text) => void agrees(text)), { numRuns: 3000 });
  }, 60_000);
});
