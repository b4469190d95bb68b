/**
 * Writes docs/control-api.openapi.json from the code (src/control/http/openapi.ts), the same
 * document the control API serves at /openapi.json. Run after changing the API:
 *   node --import tsx scripts/write-control-openapi.ts
 * A test fails when the committed file and the code disagree.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlOpenApi } from '../src/control/http/openapi.js';

export const CONTROL_OPENAPI_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'control-api.openapi.json');

export function controlOpenApiText(): string {
  return `${JSON.stringify(controlOpenApi(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CONTROL_OPENAPI_PATH, controlOpenApiText());
  console.log(`wrote ${CONTROL_OPENAPI_PATH}`);
}
