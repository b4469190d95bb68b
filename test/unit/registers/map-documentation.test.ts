import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMap } from '../../../src/registers/map-documentation.js';
import { registerMapDocuments } from '../../../src/registers/map-documents.js';
import { loadRegisterMap, REGISTER_MAP_DIR } from '../../../src/registers/profiles.js';
import { runCliToEnd } from '../../support/cli-runner.js';

const DOCS = join(REGISTER_MAP_DIR, '..', 'docs', 'register-maps');

describe('register-map documentation', () => {
  it('docs/register-maps/*.md are up to date with the maps (else: node --import tsx scripts/gen-register-docs.ts)', () => {
    const documents = registerMapDocuments();
    expect(documents.map((d) => d.file).sort()).toEqual(readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort());
    for (const { file, text } of documents) {
      expect(readFileSync(join(DOCS, file), 'utf8'), `${file} is stale`).toBe(text);
    }
  });

  it('lists each register with address, type, scaling and source', () => {
    const md = renderMap(loadRegisterMap('em24'), 'md');
    expect(md).toContain('| 62 | 0x003E | kWh (+) TOT | i32 CDAB | / 0.01 | 0.1 kWh | energy.total.activeImportWh | R |');
    const csv = renderMap(loadRegisterMap('sdm630'), 'csv').split('\n');
    expect(csv[0]).toMatch(/^space,address,hex,name,type/);
    expect(csv).toContain('holding,64512,0xFC00,Serial number,u32,2,ABCD,1,0,,identity.serialNumber,read,,,,,serial number');
    const json = JSON.parse(renderMap(loadRegisterMap('sunspec', { model: 213 }), 'json')) as { options: unknown; registers: Array<{ name: string; address: number }> };
    expect(json.options).toEqual({ model: 213 });
    expect(json.registers.find((r) => r.name === 'End ID')?.address).toBe(40196);
  });

  it('`submeter map` prints the map, and a clear error for an unknown profile', async () => {
    const ok = await runCliToEnd(['map', '--profile', 'sunspec', '--option', 'model=213', '--format', 'md']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(readFileSync(join(DOCS, 'sunspec-model-213.md'), 'utf8'));
    const bad = await runCliToEnd(['map', '--profile', 'sdm360']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^submeter: --profile sdm360: unknown profile "sdm360" \(did you mean "sdm630"\? profiles: abb-b23, dtsu666, em24, fronius, iem3000, pac2200, sdm120, sdm630, sdm72v2, sunspec, titan, umg604\)$/m);
    const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'register-map', 'overlapping-registers.yaml');
    const broken = await runCliToEnd(['map', '--file', fixture]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(':8: registers["Energy"].address: input 3..6 overlaps "U L2" (2..3, line 7)');
    const catalogue = await runCliToEnd(['map', '--quantities']);
    expect(catalogue.stdout).toBe(readFileSync(join(DOCS, 'quantities.md'), 'utf8'));
    expect(catalogue.stdout).toContain('| harmonics.voltage.l2.h5 | V | number |');
  });
});
