import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMapFile, loadMapText } from '../../../src/registers/load-map.js';
import { MapLoadError } from '../../../src/registers/map-load-error.js';
import { registerMapSchemaText } from '../../../src/registers/map-schema-text.js';
import { loadRegisterMap, profileNames, REGISTER_MAP_DIR } from '../../../src/registers/profiles.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'register-map');

describe('malformed register maps', () => {
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort();

  it('has a fixture per kind of mistake', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
  });

  for (const fixture of fixtures) {
    it(`${fixture}: the error names file, line, register and field`, () => {
      const text = readFileSync(join(FIXTURES, fixture), 'utf8');
      const expected = /^# expect: (.*)$/m.exec(text)?.[1];
      expect(expected, 'fixture states its expected error on line 1').toBeDefined();
      let thrown: unknown;
      try {
        loadMapFile(join(FIXTURES, fixture), {}, fixture);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MapLoadError);
      expect((thrown as MapLoadError).message).toBe(expected);
      expect((thrown as MapLoadError).problems).toHaveLength(1);
    });
  }

  it('reports every problem of a map, not only the first', () => {
    const text = [
      'profile: two',
      'title: two mistakes',
      'defaults: { space: input, type: f32 }',
      'registers:',
      '  - { name: A, address: 0, quantity: voltage.l9 }',
      '  - { name: B, address: 2, quantity: current.l1, wordOrder: XYZW }',
    ].join('\n');
    expect(() => loadMapText(text, 'two.yaml')).toThrow(MapLoadError);
    try {
      loadMapText(text, 'two.yaml');
    } catch (error) {
      const problems = (error as MapLoadError).problems;
      expect(problems.map((p) => [p.line, p.field])).toEqual([[6, 'registers["B"].wordOrder']]);
    }
    // once the schema passes, semantic problems are all collected
    const semantic = text.replace('XYZW', 'CDAB').replace('current.l1', 'current.l7');
    try {
      loadMapText(semantic, 'two.yaml');
      expect.unreachable();
    } catch (error) {
      expect((error as MapLoadError).problems.map((p) => [p.line, p.field])).toEqual([
        [5, 'registers["A"].quantity'],
        [6, 'registers["B"].quantity'],
      ]);
    }
  });
});

describe('register-map expansion and options', () => {
  it('expands `each` with the last key fastest and addresses advancing by the length or stride', () => {
    const map = loadMapText(
      [
        'profile: each',
        'title: each',
        'defaults: { space: input, type: f32 }',
        'registers:',
        '  - { name: "U{n} H{h}", address: 100, quantity: "harmonics.voltage.l{n}.h{h}", each: { n: [1, 2], h: { from: 2, to: 4 } } }',
        '  - { name: "E {p}", address: 0, type: f64, stride: 8, quantity: "energy.{p}.activeImportWh", each: { p: [total, l1] } }',
      ].join('\n'),
      'each.yaml',
    );
    expect(map.registers.map((r) => [r.name, r.address])).toEqual([
      ['E total', 0],
      ['E l1', 8],
      ['U1 H2', 100],
      ['U1 H3', 102],
      ['U1 H4', 104],
      ['U2 H2', 106],
      ['U2 H3', 108],
      ['U2 H4', 110],
    ]);
  });

  it('selects registers by option and rejects unknown options and values', () => {
    const m203 = loadRegisterMap('sunspec');
    const m213 = loadRegisterMap('sunspec', { model: 213 });
    expect(m203.options.model).toBe(203);
    expect(m213.options.model).toBe(213);
    expect(m203.registers.find((r) => r.name === 'ID')?.source).toEqual({ kind: 'constant', value: 203 });
    expect(m213.registers.find((r) => r.name === 'ID')?.source).toEqual({ kind: 'constant', value: 213 });
    expect(() => loadRegisterMap('sunspec', { model: 214 })).toThrow(/option model=214 is not one of 203, 213/);
    expect(() => loadRegisterMap('sunspec', { modle: 213 })).toThrow(/profile sunspec has no option "modle"/);
    expect(() => loadRegisterMap('sdm360')).toThrow(/unknown profile "sdm360"/);
  });

  it('folds a sunssf exponent into the scale', () => {
    const map = loadRegisterMap('sunspec');
    expect(map.registers.find((r) => r.name === 'A')?.scale).toBeCloseTo(100, 12); // A_SF = -2
    expect(map.registers.find((r) => r.name === 'PF')?.scale).toBeCloseTo(1000, 12); // % and PF_SF = -1
  });
});

describe('shipped profiles', () => {
  it('are the native titan and the compatibility maps, and all load', () => {
    expect(profileNames()).toEqual(['abb-b23', 'dtsu666', 'em24', 'fronius', 'iem3000', 'pac2200', 'sdm120', 'sdm630', 'sdm72v2', 'sunspec', 'titan', 'umg604']);
    for (const name of profileNames()) expect(loadRegisterMap(name).registers.length).toBeGreaterThan(20);
  });

  it('titan exposes harmonics 2..31 of U and I per phase, TOU T1..T8 and demand with timestamps', () => {
    const quantities = new Set(
      loadRegisterMap('titan').registers.flatMap((r) => (r.source.kind === 'quantity' ? [r.source.quantity.name] : [])),
    );
    for (const signal of ['voltage', 'current']) {
      for (const phase of ['l1', 'l2', 'l3']) {
        for (let h = 2; h <= 31; h += 1) expect(quantities.has(`harmonics.${signal}.${phase}.h${h}`)).toBe(true);
      }
    }
    for (let t = 1; t <= 8; t += 1) expect(quantities.has(`tariff.${t}.activeImportWh`)).toBe(true);
    for (const q of ['demand.activeImport.max', 'demand.activeImport.maxTime', 'demand.activeImport.max.t8', 'co2Kg', 'clock.unixTime', 'event.latest.kindCode', 'energy.total.reactiveQ4Varh']) {
      expect(quantities.has(q), q).toBe(true);
    }
  });

  it('register-map/schema.json is the JSON Schema generated from the zod schema (not stale)', () => {
    const committed = readFileSync(join(REGISTER_MAP_DIR, 'schema.json'), 'utf8');
    expect(committed, 'run: node --import tsx scripts/emit-map-schema.ts').toBe(registerMapSchemaText());
    const schema = JSON.parse(committed) as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['profile', 'title', 'registers']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['registers', 'fill', 'security', 'identification']));
  });
});
