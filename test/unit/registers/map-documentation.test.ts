import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderMap } from '../../../src/registers/map-documentation.js';
import { registerMapDocuments } from '../../../src/registers/map-documents.js';
import { loadProfile, REGISTER_MAP_DIR } from '../../../src/registers/profiles.js';

const DOCS = join(REGISTER_MAP_DIR, '..', 'docs', 'register-maps');
const mainScript = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const run = promisify(execFile);

describe('register-map documentation', () => {
  it('docs/register-maps/*.md are up to date with the maps (else: node --import tsx scripts/gen-register-docs.ts)', () => {
    const documents = registerMapDocuments();
    expect(documents.map((d) => d.file).sort()).toEqual(readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort());
    for (const { file, text } of documents) {
      expect(readFileSync(join(DOCS, file), 'utf8'), `${file} is stale`).toBe(text);
    }
  });

  it('lists each register with address, type, scaling and source', () => {
    const md = renderMap(loadProfile('em24'), 'md');
    expect(md).toContain('| 62 | 0x003E | kWh (+) TOT | i32 CDAB | / 0.01 | 0.1 kWh | energy.total.activeImportWh | R |');
    const csv = renderMap(loadProfile('sdm630'), 'csv').split('\n');
    expect(csv[0]).toMatch(/^space,address,hex,name,type/);
    expect(csv).toContain('holding,64512,0xFC00,Serial number,u32,2,ABCD,1,0,,identity.serialNumber,read,,,,,serial number');
    const json = JSON.parse(renderMap(loadProfile('sunspec', { model: 213 }), 'json')) as { options: unknown; registers: Array<{ name: string; address: number }> };
    expect(json.options).toEqual({ model: 213 });
    expect(json.registers.find((r) => r.name === 'End ID')?.address).toBe(40196);
  });

  it('`submeter map` prints the map, and a clear error for an unknown profile', async () => {
    const ok = await run(process.execPath, ['--import', 'tsx', mainScript, 'map', '--profile', 'sunspec', '--option', 'model=213', '--format', 'md']);
    expect(ok.stdout).toBe(readFileSync(join(DOCS, 'sunspec-model-213.md'), 'utf8'));
    const bad = await run(process.execPath, ['--import', 'tsx', mainScript, 'map', '--profile', 'sdm360']).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toMatch(/unknown profile "sdm360" \(profiles: abb-b23, dtsu666, em24, fronius, iem3000, pac2200, sdm120, sdm630, sdm72v2, sunspec, titan, umg604\)/);
    const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'register-map', 'overlapping-registers.yaml');
    const broken = await run(process.execPath, ['--import', 'tsx', mainScript, 'map', '--file', fixture]).catch((e: { code: number; stderr: string }) => e);
    expect(broken).toMatchObject({ code: 2 });
    expect((broken as { stderr: string }).stderr).toContain(':8: register "Energy" field "address": input 3..6 overlaps "U L2" (2..3, line 7)');
    const catalogue = await run(process.execPath, ['--import', 'tsx', mainScript, 'map', '--quantities']);
    expect(catalogue.stdout).toBe(readFileSync(join(DOCS, 'quantities.md'), 'utf8'));
    expect(catalogue.stdout).toContain('| harmonics.voltage.l2.h5 | V | number |');
  });
});
