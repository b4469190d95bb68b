/**
 * Regenerates docs/register-maps/<profile>.md for every shipped profile (and each non-default
 * option value, e.g. sunspec-model-213.md). Run: node --import tsx scripts/gen-register-docs.ts
 * A test fails when a committed file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerMapDocuments } from '../src/registers/map-documents.js';
import { REGISTER_MAP_DIR } from '../src/registers/profiles.js';

const dir = join(REGISTER_MAP_DIR, '..', 'docs', 'register-maps');
mkdirSync(dir, { recursive: true });
for (const { file, text } of registerMapDocuments()) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote docs/register-maps/${file}`);
}
