/**
 * The control API's OpenAPI 3.1 description, served at /openapi.json and committed as
 * docs/control-api.openapi.json (a test keeps the two equal). Request schemas are generated from
 * the same zod schemas that validate the requests, so the description cannot drift from the code.
 */
import { z } from 'zod';
import { commFaultSpecSchema } from '../../modbus/faults/comm-fault-schema.js';
import { physicalScenarioSchema } from '../physical-scenario.js';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });
const error = (description: string): Json => ({ description, ...json(ref('Error')) });
const meterId: Json = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Meter id from GET /meters' };
const meterQuery: Json = {
  name: 'meter',
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description: 'Restrict to one meter: faults are scoped to every endpoint and unit id the meter is served on',
};

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
    paths: {
      '/meters': {
        get: {
          summary: 'List the meters',
          responses: { 200: { description: 'The meters', ...json({ type: 'object', properties: { meters: { type: 'array', items: ref('MeterSummary') } }, required: ['meters'] }) } },
        },
      },
      '/meters/{id}': {
        get: {
          summary: "A meter's live values (its MeterSnapshot, SI units)",
          parameters: [meterId],
          responses: {
            200: { description: 'Live values', ...json({ type: 'object', properties: { id: { type: 'string' }, snapshot: ref('MeterSnapshot') }, required: ['id', 'snapshot'] }) },
            404: error('No such meter'),
          },
        },
      },
      '/meters/{id}/events': {
        get: {
          summary: "The newest records of a meter's event log, newest first",
          parameters: [meterId, { name: 'count', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 10000, default: 16 } }],
          responses: {
            200: { description: 'Event records', ...json({ type: 'object', properties: { id: { type: 'string' }, events: { type: 'array', items: ref('MeterEvent') } } }) },
            404: error('No such meter'),
          },
        },
      },
      '/faults': {
        get: {
          summary: 'Active communication faults',
          parameters: [meterQuery],
          responses: { 200: { description: 'Active faults', ...json(ref('FaultList')) }, 404: error('No such meter') },
        },
        post: {
          summary: 'Apply a communication fault',
          parameters: [meterQuery],
          requestBody: { required: true, ...json(ref('CommFaultSpec')) },
          responses: {
            201: { description: 'The faults created (one per endpoint when scoped to a meter)', ...json(ref('FaultList')) },
            400: error('Invalid fault (the message names the field)'),
            404: error('No such meter or endpoint'),
            409: error('The meter is not served on any endpoint'),
          },
        },
        delete: {
          summary: 'Clear every fault (or one meter’s)',
          parameters: [meterQuery],
          responses: { 200: { description: 'How many were cleared', ...json({ type: 'object', properties: { cleared: { type: 'integer' } } }) } },
        },
      },
      '/faults/{faultId}': {
        delete: {
          summary: 'Clear one fault',
          parameters: [{ name: 'faultId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'Cleared', ...json({ type: 'object', properties: { cleared: { type: 'integer' } } }) }, 404: error('No such active fault') },
        },
      },
      '/meters/{id}/scenarios': {
        get: {
          summary: 'Active physical scenarios on a meter',
          parameters: [meterId],
          responses: {
            200: { description: 'Active scenarios', ...json({ type: 'object', properties: { scenarios: { type: 'array', items: ref('ActiveScenario') } } }) },
            404: error('No such meter'),
            409: error('The meter has no changeable source'),
          },
        },
        post: {
          summary: 'Begin a physical scenario now',
          parameters: [meterId],
          requestBody: { required: true, ...json(ref('PhysicalScenario')) },
          responses: {
            201: { description: 'The scenario begun', ...json({ type: 'object', properties: { scenario: ref('ActiveScenario') } }) },
            400: error('Invalid scenario (the message names the field)'),
            404: error('No such meter'),
            409: error('The meter has no changeable source'),
          },
        },
        delete: {
          summary: 'End every scenario on a meter',
          parameters: [meterId],
          responses: { 200: { description: 'How many ended', ...json({ type: 'object', properties: { ended: { type: 'integer' } } }) } },
        },
      },
      '/meters/{id}/scenarios/{scenarioId}': {
        delete: {
          summary: 'End one scenario',
          parameters: [meterId, { name: 'scenarioId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'Ended', ...json({ type: 'object', properties: { ended: { type: 'integer' } } }) }, 404: error('No such scenario') },
        },
      },
      '/timeline': {
        post: {
          summary: 'Start a YAML timeline now (replaces a running one)',
          parameters: [{ name: 'name', in: 'query', required: false, schema: { type: 'string' }, description: 'File name used in error messages' }],
          requestBody: { required: true, content: { 'application/yaml': { schema: { type: 'string' } } } },
          responses: { 201: { description: 'Started', ...json(ref('TimelineStatus')) }, 400: error('Invalid timeline: each line of the message names file:line:column and the field') },
        },
        get: { summary: 'Progress of the timeline', responses: { 200: { description: 'Progress', ...json(ref('TimelineStatus')) }, 404: error('No timeline started') } },
        delete: { summary: 'Stop the timeline', responses: { 200: { description: 'Whether one was running', ...json({ type: 'object', properties: { stopped: { type: 'boolean' } } }) } } },
      },
      '/openapi.json': { get: { summary: 'This description', responses: { 200: { description: 'OpenAPI 3.1 document' } } } },
    },
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
