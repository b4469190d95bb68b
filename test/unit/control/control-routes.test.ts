/**
 * The route table is the one list of routes: the typed client has exactly one method per route,
 * each path pattern's parameters are what the client fills in, and the response types are the
 * handlers' results as JSON carries them (typed arrays as number arrays).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createControlClient, type ControlRequest, type ControlResponse } from '../../../src/control/http/control-client.js';
import { controlRouteList, controlRoutes } from '../../../src/control/http/control-routes.js';
import { patternSegments, type PathParams } from '../../../src/control/http/route-definition.js';

describe('control route table', () => {
  it('has one typed client method per route, and no two routes share a method and path', () => {
    const client = createControlClient({ url: 'http://127.0.0.1:1/' });
    expect(client.url).toBe('http://127.0.0.1:1');
    for (const name of Object.keys(controlRoutes)) expect(typeof (client as unknown as Record<string, unknown>)[name]).toBe('function');
    const keys = controlRouteList.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(19);
  });

  it('splits path patterns into literals and parameters', () => {
    expect(patternSegments('/meters/{id}/scenarios/{scenarioId}')).toEqual([{ literal: 'meters' }, { param: 'id' }, { literal: 'scenarios' }, { param: 'scenarioId' }]);
    expectTypeOf<PathParams<'/meters/{id}/scenarios/{scenarioId}'>>().toEqualTypeOf<{ id: string; scenarioId: string }>();
  });

  it('types requests and responses from the table', () => {
    expectTypeOf<ControlRequest<'events'>>().toMatchTypeOf<{ params: { id: string }; query?: { count?: number } }>();
    expectTypeOf<ControlResponse<'snapshot'>['snapshot']['measurement']['phases'][number]['currentHarmonics']>().toEqualTypeOf<number[]>();
    expectTypeOf<ControlResponse<'clearFaults'>>().toEqualTypeOf<{ cleared: number }>();
    expectTypeOf<ControlResponse<'stopTimeline'>>().toEqualTypeOf<{ stopped: boolean }>();
  });
});
