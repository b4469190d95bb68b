/**
 * Writes docs/control-api.openapi.json from the route table (src/control/http/control-routes.ts,
 * through src/control/http/openapi.ts): the same document the control API serves at
 * /openapi.json. Run after changing the API:
 *   node --import tsx scripts/write-control-openapi.ts
 * A test fails when the committed file and the code disagree.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlOpenApiText } from '../src/control/http/openapi.js';

const CONTROL_OPENAPI_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'control-api.openapi.json');

writeFileSync(CONTROL_OPENAPI_PATH, controlOpenApiText());
console.log(`wrote ${CONTROL_OPENAPI_PATH}`);
