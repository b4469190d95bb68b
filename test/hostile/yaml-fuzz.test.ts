/**
 * Fuzz over register-map and panel-config YAML (fast-check, the fixed seed of
 * test/support/fast-check-seed.ts; FC_SEED to vary): real files mutated line by line and byte by
 * byte, hostile snippets spliced in (aliases, tags, deep nesting, huge numbers, long strings), and
 * random documents. Loading never crashes: it succeeds or throws the loader's own error, whose
 * lines are short.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadMapText } from '../../src/registers/load-map.js';
import { MapLoadError } from '../../src/registers/map-load-error.js';
import { ConfigError } from '../../src/runtime/config/config-error.js';
import { parsePanelConfig } from '../../src/runtime/config/load-panel-config.js';
import { SpecError } from '../../src/runtime/runtime-error.js';
import { formatProblem, type SourceProblem } from '../../src/common/source-problem.js';

const titan = readFileSync(new URL('../../register-map/titan.yaml', import.meta.url), 'utf8');
const sdm630 = readFileSync(new URL('../../register-map/sdm630.yaml', import.meta.url), 'utf8');
const panel = readFileSync(new URL('../../examples/panel.yaml', import.meta.url), 'utf8');

const snippets = [
  'x: &a [1, 2, 3]\ny: [*a, *a, *a, *a]',
  'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'address: abc',
  'address: 1e400',
  'scale: 1e400',
  'scale: -0',
  'address: -1',
  'address: 65536',
  'value: 70000',
  'type: u16\nvalue: 1e300',
  'name: !!binary aGVsbG8=',
  'fn: !!js/function "function () {}"',
  'k: !custom tag',
  '<<: {a: 1}',
  '? [complex, key]\n: value',
  `deep: ${'['.repeat(5000)}${']'.repeat(5000)}`,
  `deep: ${'{a: '.repeat(2000)}1${'}'.repeat(2000)}`,
  `long: "${'y'.repeat(70_000)}"`,
  `${'k'.repeat(70_000)}: 1`,
  'registers: null',
  'meters: []',
  'endpoints: {}',
  'speed: .nan',
  'speed: -.inf',
  'startTime: not-a-date',
  '\ufeff\u0000\u202e',
  '---\na: 1\n---\nb: 2',
  '%YAML 1.1\n---\na: yes',
  'a: "unterminated',
  '\t\tindent: tab',
];

/** A document built from a real file: some lines dropped, doubled or replaced, some bytes flipped, snippets spliced in. */
function mutated(base: string): fc.Arbitrary<string> {
  const lines = base.split('\n');
  return fc
    .record({
      edits: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('drop' as const), at: fc.nat(lines.length - 1) }),
          fc.record({ kind: fc.constant('double' as const), at: fc.nat(lines.length - 1) }),
          fc.record({ kind: fc.constant('splice' as const), at: fc.nat(lines.length - 1), snippet: fc.constantFrom(...snippets), indent: fc.constantFrom('', '  ', '    ') }),
          fc.record({ kind: fc.constant('replace' as const), at: fc.nat(lines.length - 1), text: fc.string({ maxLength: 40 }) }),
        ),
        { maxLength: 6 },
      ),
      flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
    })
    .map(({ edits, flips }) => {
      const out = [...lines];
      for (const edit of edits) {
        const at = Math.min(edit.at, out.length - 1);
        if (edit.kind === 'drop') out.splice(at, 1);
        else if (edit.kind === 'double') out.splice(at, 0, out[at] ?? '');
        else if (edit.kind === 'splice') out.splice(at, 0, ...edit.snippet.split('\n').map((l) => edit.indent + l));
        else out[at] = edit.text;
      }
      const text = Buffer.from(out.join('\n'), 'utf8');
      for (const flip of flips) if (text.length > 0) text[flip.at % text.length] = flip.byte;
      return text.toString('utf8');
    });
}

/** A random document with the shape of a map or a config (keys they know, values of any kind). */
const randomDocument = fc
  .dictionary(
    fc.constantFrom('profile', 'title', 'registers', 'meters', 'endpoints', 'speed', 'defaults', 'state', 'security', 'identification', 'options', 'x'),
    fc.anything({ maxDepth: 3, key: fc.constantFrom('name', 'address', 'space', 'type', 'quantity', 'scale', 'tcp', 'units', 'meters', 'gateway', 'value', 'each', 'a') }),
  )
  .map((value) => stringify(value));

function checkProblems(problems: readonly SourceProblem[]): void {
  for (const problem of problems) expect(formatProblem(problem).length).toBeLessThan(1200);
}

function loadsCleanly(load: () => unknown, isOwnError: (error: unknown) => readonly SourceProblem[] | string | undefined): void {
  try {
    load();
  } catch (error) {
    const own = isOwnError(error);
    if (own === undefined) throw new Error(`crashed with ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error)}`);
    if (typeof own === 'string') expect(own.length).toBeLessThan(2000);
    else checkProblems(own);
  }
}

const mapError = (error: unknown): readonly SourceProblem[] | undefined => (error instanceof MapLoadError ? error.problems : undefined);
const configError = (error: unknown): readonly SourceProblem[] | string | undefined =>
  error instanceof ConfigError ? error.problems : error instanceof SpecError ? error.message : undefined;

describe('YAML fuzz: never a crash, a clean error or success', () => {
  it('register maps (mutated titan and sdm630, random documents)', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(titan), mutated(sdm630), randomDocument), (text) => {
        loadsCleanly(() => loadMapText(text, 'fuzz-map.yaml'), mapError);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('panel configs (mutated example, random documents)', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(panel), randomDocument), (text) => {
        loadsCleanly(() => parsePanelConfig(text, '/tmp/fuzz-config.yaml'), configError);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it.each(snippets)('every hostile snippet alone, as a map and as a config: %#', (snippet) => {
    loadsCleanly(() => loadMapText(snippet, 'snippet.yaml'), mapError);
    loadsCleanly(() => parsePanelConfig(snippet, '/tmp/snippet.yaml'), configError);
  });
});
