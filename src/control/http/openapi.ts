/**
 * The control API's OpenAPI 3.1 description, served at /openapi.json and committed as
 * docs/control-api.openapi.json (a test keeps the two equal). The paths are written from the route
 * table (control-routes.ts), the one list of routes the server dispatches on; request schemas are
 * generated from the same zod schemas that validate the requests, so the description cannot drift
 * from the code.
 */
import { z } from 'zod';
import { commFaultSpecSchema } from '../../modbus/faults/comm-fault-schema.js';
import { physicalScenarioSchema } from '../physical-scenario.js';
import { controlRouteList, PATH_PARAMETER_DESCRIPTIONS } from './control-routes.js';
import { patternSegments, type AnyRoute, type RequestBody } from './route-definition.js';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });

function parameters(route: AnyRoute): Json[] {
  const path = patternSegments(route.path).flatMap((segment) =>
    segment.param === undefined
      ? []
      : [{ name: segment.param, in: 'path', required: true, schema: { type: 'string' }, ...descriptionOf(PATH_PARAMETER_DESCRIPTIONS[segment.param]) }],
  );
  const query = Object.entries(route.query ?? {}).map(([name, parameter]) => ({ name, in: 'query', required: false, schema: parameter.schema, ...descriptionOf(parameter.description) }));
  return [...path, ...query];
}

const descriptionOf = (description: string | undefined): Json => (description === undefined ? {} : { description });

function requestBody(body: RequestBody): Json {
  return body.kind === 'json' ? { required: true, ...json(ref(body.schemaName)) } : { required: true, content: { [body.contentType]: { schema: { type: 'string' } } } };
}

function operation(route: AnyRoute): Json {
  const params = parameters(route);
  const responses: Json = {
    [route.status]: { description: route.response.description, ...(route.response.schema === undefined ? {} : json(route.response.schema)) },
  };
  for (const [status, description] of Object.entries(route.errors ?? {})) responses[status] = { description, ...json(ref('Error')) };
  return {
    summary: route.summary,
    ...(params.length === 0 ? {} : { parameters: params }),
    ...(route.body === undefined ? {} : { requestBody: requestBody(route.body) }),
    responses,
  };
}

/** The paths object: every route of the table, grouped by path in table order. */
function paths(): Json {
  const out: Record<string, Json> = {};
  for (const route of controlRouteList) {
    out[route.path] = { ...out[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return out;
}

export function controlOpenApi(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'submeter control API',
      version: '1.0.0',
      description:
        'Live control of emulated meters: read live values, apply and clear communication faults and physical scenarios, play a YAML timeline. Binds to 127.0.0.1 by default; when started with a token every request needs `Authorization: Bearer <token>`.',
    },
    servers: [{ url: 'http://127.0.0.1:8502' }],
    security: [{}, { bearer: [] }],
    paths: paths(),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] },
        CommFaultSpec: schemaOf(commFaultSpecSchema),
        PhysicalScenario: schemaOf(physicalScenarioSchema),
        ActiveFault: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            spec: ref('CommFaultSpec'),
            appliedAtMs: { type: 'number' },
            fired: { type: 'integer' },
            expiresAtMs: { type: 'number' },
            remaining: { type: 'integer' },
          },
          required: ['id', 'spec', 'appliedAtMs', 'fired'],
        },
        FaultList: { type: 'object', properties: { faults: { type: 'array', items: ref('ActiveFault') } }, required: ['faults'] },
        ActiveScenario: {
          type: 'object',
          properties: { id: { type: 'string' }, scenario: ref('PhysicalScenario'), startMs: { type: 'number' }, endMs: { type: 'number' } },
          required: ['id', 'scenario', 'startMs'],
        },
        MeterSummary: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            description: { type: 'string' },
            faultScopes: { type: 'array', items: { type: 'object', properties: { endpoint: { type: 'string' }, unitId: { type: 'integer' } } } },
            physical: { type: 'boolean', description: 'Whether physical scenarios can be played on this meter' },
          },
          required: ['id', 'description', 'faultScopes', 'physical'],
        },
        MeterSnapshot: {
          type: 'object',
          description: 'The meter state (src/meter/snapshot.ts): measurement (per-phase RMS, powers, PF, harmonics as arrays), energy, demand, tariffs, events; SI units, times in ms since the Unix epoch.',
          properties: {
            timeMs: { type: 'number' },
            measurement: { type: 'object' },
            energy: { type: 'object' },
            demand: { type: 'object' },
            eventCount: { type: 'integer' },
            latestEvent: ref('MeterEvent'),
          },
          required: ['timeMs', 'measurement', 'energy'],
          additionalProperties: true,
        },
        MeterEvent: {
          type: 'object',
          properties: {
            sequence: { type: 'integer' },
            kind: { type: 'string' },
            phase: { type: 'integer', description: '0 = whole meter, 1..3 = phase' },
            startMs: { type: 'number' },
            endMs: { type: 'number', description: '0 while still active' },
            extremeValue: { type: 'number' },
          },
        },
        RelayCommand: { type: 'object', properties: { closed: { type: 'boolean', description: 'true closes the load relay, false opens it' } }, required: ['closed'] },
        ResetCommand: { type: 'object', properties: { what: { type: 'string', enum: ['energy', 'demand'] } }, required: ['what'] },
        LoadProfileRecord: {
          type: 'object',
          description: 'One load-profile interval (src/meter/snapshot.ts): energies in it (Wh, varh, VAh), mean V and I per phase, frequency, status bits',
          properties: { timeMs: { type: 'number' }, activeImportWh: { type: 'number' }, activeExportWh: { type: 'number' }, meanVoltage: { type: 'array', items: { type: 'number' } }, meanCurrent: { type: 'array', items: { type: 'number' } } },
          additionalProperties: true,
        },
        RegisterRow: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            space: { type: 'string', enum: ['input', 'holding', 'coil', 'discrete'] },
            address: { type: 'integer', description: '0-based protocol address' },
            words: { type: 'array', items: { type: 'integer' }, description: 'The 16-bit words as served (a bit: 0 or 1)' },
            value: { type: ['number', 'string'] },
            unit: { type: 'string' },
            quantity: { type: 'string' },
          },
          required: ['name', 'space', 'address', 'words', 'value', 'unit', 'quantity'],
        },
        TimelineStatus: {
          type: 'object',
          properties: {
            running: { type: 'boolean' },
            name: { type: 'string' },
            startMs: { type: 'number' },
            total: { type: 'integer' },
            applied: { type: 'integer' },
            nextAtMs: { type: 'number' },
            history: {
              type: 'array',
              items: {
                type: 'object',
                properties: { atMs: { type: 'number' }, line: { type: 'integer' }, scheduledMs: { type: 'number' }, ok: { type: 'boolean' }, result: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}

/** The document as committed in docs/control-api.openapi.json (2-space JSON, final newline). */
export function controlOpenApiText(): string {
  return `${JSON.stringify(controlOpenApi(), null, 2)}\n`;
}
