/**
 * The control API's one route table. The server dispatches on it (control-server.ts), the
 * OpenAPI document is written from it (openapi.ts, committed as docs/control-api.openapi.json)
 * and the typed client's methods and response types derive from it (control-client.ts). A route
 * added here is served, described and callable; nothing else lists the routes.
 *
 * Keys are the client's method names; the order is the order of the OpenAPI document.
 */
import type { CommFaultSpec } from '../../modbus/faults/comm-fault.js';
import type { PhysicalScenario } from '../physical-scenario.js';
import { integerQuery, jsonBody, route, stringQuery, textBody, type AnyRoute, type JsonObject } from './route-definition.js';

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: JsonObject, required?: string[]): JsonObject => ({ type: 'object', properties, ...(required === undefined ? {} : { required }) });

/** The `?meter=` of the fault routes. */
const meterQuery = { meter: stringQuery('Restrict to one meter: faults are scoped to every endpoint and unit id the meter is served on') };

/** Descriptions of path parameters, by name (OpenAPI). */
export const PATH_PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = { id: 'Meter id from GET /meters' };

export const controlRoutes = {
  listMeters: route({
    method: 'GET',
    path: '/meters',
    summary: 'List the meters',
    status: 200,
    response: { description: 'The meters', schema: object({ meters: { type: 'array', items: ref('MeterSummary') } }, ['meters']) },
    handle: ({ controller }) => ({ meters: controller.listMeters() }),
  }),
  snapshot: route({
    method: 'GET',
    path: '/meters/{id}',
    summary: "A meter's live values (its MeterSnapshot, SI units)",
    status: 200,
    response: { description: 'Live values', schema: object({ id: { type: 'string' }, snapshot: ref('MeterSnapshot') }, ['id', 'snapshot']) },
    errors: { 404: 'No such meter' },
    handle: ({ controller }, { params }) => ({ id: params.id, snapshot: controller.snapshot(params.id) }),
  }),
  events: route({
    method: 'GET',
    path: '/meters/{id}/events',
    summary: "The newest records of a meter's event log, newest first",
    query: { count: integerQuery(1, 10_000, 16) },
    status: 200,
    response: { description: 'Event records', schema: object({ id: { type: 'string' }, events: { type: 'array', items: ref('MeterEvent') } }) },
    errors: { 404: 'No such meter' },
    handle: ({ controller }, { params, query }) => ({ id: params.id, events: controller.events(params.id, query.count) }),
  }),
  profile: route({
    method: 'GET',
    path: '/meters/{id}/profile',
    summary: "The newest records of a meter's load profile (one per profile period), newest first",
    query: { count: integerQuery(1, 10_000, 96) },
    status: 200,
    response: { description: 'Load-profile records', schema: object({ id: { type: 'string' }, records: { type: 'array', items: ref('LoadProfileRecord') } }, ['id', 'records']) },
    errors: { 404: 'No such meter' },
    handle: ({ controller }, { params, query }) => ({ id: params.id, records: controller.profile(params.id, query.count) }),
  }),
  registers: route({
    method: 'GET',
    path: '/meters/{id}/registers',
    summary: "A meter's register map as Modbus serves it now: address, raw words, decoded value and unit",
    status: 200,
    response: { description: 'Registers in address order per table', schema: object({ id: { type: 'string' }, registers: { type: 'array', items: ref('RegisterRow') } }, ['id', 'registers']) },
    errors: { 404: 'No such meter', 409: 'The meter has no register map' },
    handle: ({ controller }, { params }) => ({ id: params.id, registers: controller.registers(params.id) }),
  }),
  setRelay: route({
    method: 'POST',
    path: '/meters/{id}/relay',
    summary: 'Open or close the load relay',
    body: jsonBody<{ closed: boolean }>('RelayCommand'),
    status: 200,
    response: { description: 'The relay state now', schema: object({ closed: { type: 'boolean' } }, ['closed']) },
    errors: { 400: 'Invalid body', 404: 'No such meter' },
    handle: ({ controller }, { params, body }) => controller.setRelay(params.id, body),
  }),
  reset: route({
    method: 'POST',
    path: '/meters/{id}/reset',
    summary: 'Reset the energy registers or the demand maxima',
    body: jsonBody<{ what: 'energy' | 'demand' }>('ResetCommand'),
    status: 200,
    response: { description: 'What was reset', schema: object({ reset: { type: 'string', enum: ['energy', 'demand'] } }, ['reset']) },
    errors: { 400: 'Invalid body', 404: 'No such meter' },
    handle: ({ controller }, { params, body }) => controller.reset(params.id, body),
  }),
  listFaults: route({
    method: 'GET',
    path: '/faults',
    summary: 'Active communication faults',
    query: meterQuery,
    status: 200,
    response: { description: 'Active faults', schema: ref('FaultList') },
    errors: { 404: 'No such meter' },
    handle: ({ controller }, { query }) => ({ faults: controller.listFaults(query.meter) }),
  }),
  applyFault: route({
    method: 'POST',
    path: '/faults',
    summary: 'Apply a communication fault',
    query: meterQuery,
    body: jsonBody<CommFaultSpec>('CommFaultSpec'),
    status: 201,
    response: { description: 'The faults created (one per endpoint when scoped to a meter)', schema: ref('FaultList') },
    errors: {
      400: 'Invalid fault (the message names the field)',
      404: 'No such meter or endpoint',
      409: 'The meter is not served on any endpoint',
      429: 'At most 1,000 faults may be active',
    },
    handle: ({ controller }, { query, body }) => ({ faults: controller.applyFault(body, query.meter) }),
  }),
  clearFaults: route({
    method: 'DELETE',
    path: '/faults',
    summary: 'Clear every fault (or one meter’s)',
    query: meterQuery,
    status: 200,
    response: { description: 'How many were cleared', schema: object({ cleared: { type: 'integer' } }) },
    handle: ({ controller }, { query }) => ({ cleared: controller.clearFaults(query.meter) }),
  }),
  clearFault: route({
    method: 'DELETE',
    path: '/faults/{faultId}',
    summary: 'Clear one fault',
    status: 200,
    response: { description: 'Cleared', schema: object({ cleared: { type: 'integer' } }) },
    errors: { 404: 'No such active fault' },
    handle: ({ controller }, { params }) => {
      controller.clearFault(params.faultId);
      return { cleared: 1 };
    },
  }),
  listScenarios: route({
    method: 'GET',
    path: '/meters/{id}/scenarios',
    summary: 'Active physical scenarios on a meter',
    status: 200,
    response: { description: 'Active scenarios', schema: object({ scenarios: { type: 'array', items: ref('ActiveScenario') } }) },
    errors: { 404: 'No such meter', 409: 'The meter has no changeable source' },
    handle: ({ controller }, { params }) => ({ scenarios: controller.listScenarios(params.id) }),
  }),
  beginScenario: route({
    method: 'POST',
    path: '/meters/{id}/scenarios',
    summary: 'Begin a physical scenario now',
    body: jsonBody<PhysicalScenario>('PhysicalScenario'),
    status: 201,
    response: { description: 'The scenario begun', schema: object({ scenario: ref('ActiveScenario') }) },
    errors: {
      400: 'Invalid scenario (the message names the field)',
      404: 'No such meter',
      409: 'The meter has no changeable source',
    },
    handle: ({ controller }, { params, body }) => ({ scenario: controller.beginScenario(params.id, body) }),
  }),
  endScenarios: route({
    method: 'DELETE',
    path: '/meters/{id}/scenarios',
    summary: 'End every scenario on a meter',
    status: 200,
    response: { description: 'How many ended', schema: object({ ended: { type: 'integer' } }) },
    handle: ({ controller }, { params }) => ({ ended: controller.endScenarios(params.id) }),
  }),
  endScenario: route({
    method: 'DELETE',
    path: '/meters/{id}/scenarios/{scenarioId}',
    summary: 'End one scenario',
    status: 200,
    response: { description: 'Ended', schema: object({ ended: { type: 'integer' } }) },
    errors: { 404: 'No such scenario' },
    handle: ({ controller }, { params }) => {
      controller.endScenario(params.id, params.scenarioId);
      return { ended: 1 };
    },
  }),
  startTimeline: route({
    method: 'POST',
    path: '/timeline',
    summary: 'Start a YAML timeline now (replaces a running one)',
    query: { name: stringQuery('File name used in error messages') },
    body: textBody('application/yaml'),
    status: 201,
    response: { description: 'Started', schema: ref('TimelineStatus') },
    errors: { 400: 'Invalid timeline: each line of the message names file:line:column and the field' },
    handle: ({ controller }, { query, body }) => controller.startTimeline(body, query.name),
  }),
  timelineStatus: route({
    method: 'GET',
    path: '/timeline',
    summary: 'Progress of the timeline',
    status: 200,
    response: { description: 'Progress', schema: ref('TimelineStatus') },
    errors: { 404: 'No timeline started' },
    handle: ({ controller }) => controller.timelineStatus(),
  }),
  stopTimeline: route({
    method: 'DELETE',
    path: '/timeline',
    summary: 'Stop the timeline',
    status: 200,
    response: { description: 'Whether one was running', schema: object({ stopped: { type: 'boolean' } }) },
    handle: ({ controller }) => ({ stopped: controller.stopTimeline() }),
  }),
  openApi: route({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This description',
    status: 200,
    response: { description: 'OpenAPI 3.1 document' },
    handle: ({ openApi }) => openApi(),
  }),
};

export type ControlRoutes = typeof controlRoutes;
export type ControlRouteName = keyof ControlRoutes;

/** The routes in table order. */
export const controlRouteList: readonly AnyRoute[] = Object.values(controlRoutes);
