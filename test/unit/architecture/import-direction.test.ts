/**
 * Layers import one way. Data flows waveform (samples) -> metrology (measurements) -> meter ->
 * registers -> modbus, and the CLI sits on top: a lower layer never imports a higher one.
 *
 * Every `import`, `export ... from` and dynamic `import()` in src/**\/*.ts is read with the
 * TypeScript scanner (comments and strings cannot fool it), resolved to the file it names, and
 * checked against the rule table below. A layer is the first folder under src/ (src/index.ts, the
 * library entry, is the layer 'index'). A layer may always import itself.
 *
 * To add a layer or a rule, add a row to RULES. A row with `pending` is a rule the code does not
 * meet yet; it shows as a todo until `pending` is deleted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const srcRoot = join(repoRoot, 'src');

interface ImportRule {
  /** What the rule says, as the test's name. */
  readonly name: string;
  /** The layers the rule constrains (the importers). */
  readonly appliesTo: (layer: string) => boolean;
  /** When given: the only other layers these may import. */
  readonly allowed?: readonly string[];
  /** When given: layers these must not import. */
  readonly forbidden?: readonly string[];
  /** Why the rule does not hold yet (the branch moving the code); the test is a todo until then. */
  readonly pending?: string;
}

const only =
  (...layers: string[]) =>
  (layer: string): boolean =>
    layers.includes(layer);

/** src/common (seeded random, YAML, error messages) is below every layer: anyone may import it. */
const SHARED = 'common';

const RULES: readonly ImportRule[] = [
  {
    name: 'nothing under src/ outside src/cli imports src/cli',
    appliesTo: (layer) => layer !== 'cli',
    forbidden: ['cli'],
  },
  {
    name: 'src/common imports no other layer',
    appliesTo: only(SHARED),
    allowed: [],
  },
  {
    name: 'src/waveform imports no other layer (src/common excepted)',
    appliesTo: only('waveform'),
    allowed: [SHARED],
  },
  {
    name: 'src/metrology imports only src/waveform (and src/common)',
    appliesTo: only('metrology'),
    allowed: ['waveform', SHARED],
  },
  {
    name: 'src/meter imports only metrology and waveform (and src/common)',
    appliesTo: only('meter'),
    allowed: ['metrology', 'waveform', SHARED],
  },
  {
    name: 'src/modbus imports no meter, registers, waveform or metrology code (only src/common)',
    appliesTo: only('modbus'),
    allowed: [SHARED],
  },
  {
    name: 'src/registers imports the meter, the layers below it and the Modbus device seam, nothing above',
    appliesTo: only('registers'),
    allowed: ['meter', 'metrology', 'waveform', 'modbus', SHARED],
  },
  {
    name: 'src/control imports the layers below it, never the runtime or its outputs',
    appliesTo: only('control'),
    allowed: ['meter', 'metrology', 'waveform', 'registers', 'modbus', SHARED],
  },
  {
    name: 'the HTTP outputs (src/metrics, src/dashboard) read the running panel and the control API, never each other',
    appliesTo: only('metrics', 'dashboard'),
    allowed: ['runtime', 'control', 'meter', 'metrology', 'registers', 'modbus', SHARED],
  },
  {
    name: 'the MQTT output (src/mqtt) sees meters through its own narrow view: meter snapshots and the quantity catalogue, no runtime, control or transport',
    appliesTo: only('mqtt'),
    allowed: ['meter', 'registers', SHARED],
  },
  {
    name: 'the runtime never imports its outputs\' consumers: nothing below it imports src/runtime',
    appliesTo: only('common', 'waveform', 'metrology', 'meter', 'registers', 'modbus', 'control', 'mqtt'),
    forbidden: ['runtime', 'metrics', 'dashboard'],
  },
];

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** The layer of a file under src/: its first folder, or 'index' for files at src/ itself. */
function layerOf(file: string): string {
  const parts = relative(srcRoot, file).split(sep);
  return parts.length > 1 ? parts[0] : 'index';
}

interface LayerImport {
  /** Importing file, relative to the repository. */
  readonly file: string;
  readonly fromLayer: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** The imported file's layer, or undefined for a package or a path outside src/. */
  readonly toLayer: string | undefined;
}

/** Every relative import of every file under src/, with the layers at both ends. */
function layerImports(): LayerImport[] {
  const found: LayerImport[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith('.')) continue; // node:*, packages
      const target = resolve(dirname(file), specifier);
      const inside = !relative(srcRoot, target).startsWith('..');
      found.push({
        file: relative(repoRoot, file),
        fromLayer: layerOf(file),
        specifier,
        toLayer: inside ? layerOf(target) : undefined,
      });
    }
  }
  return found;
}

function breaks(rule: ImportRule, edge: LayerImport): boolean {
  if (!rule.appliesTo(edge.fromLayer) || edge.toLayer === undefined || edge.toLayer === edge.fromLayer) return false;
  if (rule.allowed !== undefined && !rule.allowed.includes(edge.toLayer)) return true;
  return rule.forbidden?.includes(edge.toLayer) ?? false;
}

describe('import direction', () => {
  const edges = layerImports();

  it('reads the imports of every layer (the scanner sees them)', () => {
    const layers = new Set(edges.map((edge) => edge.fromLayer));
    for (const layer of ['waveform', 'metrology', 'meter', 'registers', 'modbus', 'cli']) expect(layers).toContain(layer);
    // metrology -> waveform is the one-way flow itself: seen, and allowed.
    expect(edges.some((edge) => edge.fromLayer === 'metrology' && edge.toLayer === 'waveform')).toBe(true);
  });

  it('the rules catch a wrong-way import', () => {
    const upward: LayerImport = { file: 'src/waveform/x.ts', fromLayer: 'waveform', specifier: '../meter/meter.js', toLayer: 'meter' };
    const shared: LayerImport = { ...upward, specifier: `../${SHARED}/seeded-random.js`, toLayer: SHARED };
    const metrologyToMeter: LayerImport = { file: 'src/metrology/x.ts', fromLayer: 'metrology', specifier: '../meter/meter.js', toLayer: 'meter' };
    const modbusToRegisters: LayerImport = { file: 'src/modbus/x.ts', fromLayer: 'modbus', specifier: '../registers/x.js', toLayer: 'registers' };
    const toCli: LayerImport = { file: 'src/meter/x.ts', fromLayer: 'meter', specifier: '../cli/x.js', toLayer: 'cli' };
    expect(RULES.some((rule) => breaks(rule, upward))).toBe(true);
    expect(RULES.some((rule) => breaks(rule, shared))).toBe(false);
    expect(RULES.some((rule) => breaks(rule, metrologyToMeter))).toBe(true);
    expect(RULES.some((rule) => breaks(rule, modbusToRegisters))).toBe(true);
    expect(RULES.some((rule) => breaks(rule, toCli))).toBe(true);
  });

  for (const rule of RULES) {
    if (rule.pending !== undefined) {
      it.todo(`${rule.name} (pending: ${rule.pending})`);
      continue;
    }
    it(rule.name, () => {
      const offenders = edges.filter((edge) => breaks(rule, edge)).map((edge) => `${edge.file} imports ${edge.specifier}`);
      expect(offenders).toEqual([]);
    });
  }
});
