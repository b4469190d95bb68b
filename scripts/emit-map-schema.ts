/**
 * Writes register-map/schema.json (the JSON Schema of the register-map format, for editors) from
 * the zod schema in src/registers/map-schema.ts. Run: node --import tsx scripts/emit-map-schema.ts
 * A test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerMapSchemaText } from '../src/registers/map-schema-text.js';
import { REGISTER_MAP_DIR } from '../src/registers/profiles.js';

const target = join(REGISTER_MAP_DIR, 'schema.json');
writeFileSync(target, registerMapSchemaText());
console.log(`wrote ${target}`);
