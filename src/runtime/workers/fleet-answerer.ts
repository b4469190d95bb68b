/**
 * The control API of `serve --workers N` as one process would answer it. The primary's HTTP
 * server (the same control server: guard, token or client-certificate role, 413/415, query
 * checks) matches a route of the table and hands it here; this answers it from the workers:
 *
 * - a route about one meter (`/meters/{id}/...`, `?meter=`) goes to the worker that serves the
 *   meter (FleetOwnership: the shard function), and that worker's answer is the answer;
 * - fleet-wide routes are asked of every worker and merged: GET /meters in the panel's order,
 *   GET /faults in the order the faults were applied, DELETE /faults summed; an unscoped
 *   POST /faults is applied in every worker (one fault per worker), one scoped to an endpoint in
 *   the worker that binds it;
 * - fault ids name their worker: worker 2's `f3` is `w2-f3` here, and DELETE /faults/w2-f3 reaches
 *   it there;
 * - the fault body is validated and the 1,000-active-faults limit (429) is counted over the whole
 *   fleet here, before any worker is asked, with the messages one process gives;
 * - a timeline is cut per worker and played by the workers together (fleet-timeline.ts).
 *
 * A worker that has not reported its control API yet makes a request 503; one that does not
 * answer, 502.
 */
import { ControlError } from '../../control/control-error.js';
import { MAX_ACTIVE_FAULTS } from '../../control/fault-controller.js';
import { controlRoutes, type ControlRouteName } from '../../control/http/control-routes.js';
import type { AnyRouteRequest, RouteAnswerer } from '../../control/http/control-server.js';
import { controlOpenApi } from '../../control/http/openapi.js';
import type { AnyRoute } from '../../control/http/route-definition.js';
import type { CommFaultSpec } from '../../modbus/faults/comm-fault.js';
import { parseCommFaultSpec } from '../../modbus/faults/comm-fault-schema.js';
import { fleetFaults, parseFleetFaultId } from './fleet-fault-ids.js';
import type { FleetOwnership } from './fleet-ownership.js';
import { FleetTimeline } from './fleet-timeline.js';
import { arrayField, field } from './json-fields.js';
import type { WorkerAnswer, WorkerLink } from './worker-link.js';

/** The workers' control links as they report in (undefined until worker w has). */
export interface WorkerLinks {
  readonly count: number;
  link(worker: number): WorkerLink | undefined;
}

const routeNames = new Map<AnyRoute, ControlRouteName>(Object.entries(controlRoutes).map(([name, route]) => [route as AnyRoute, name as ControlRouteName]));

/** The request path (with query) of `route` for these parameters and query values. */
function targetOf(route: AnyRoute, request: AnyRouteRequest): string {
  const params: Record<string, string> = request.params;
  const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = Object.entries(request.query as Record<string, unknown>)
    .filter((entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query === '' ? path : `${path}?${query}`;
}

function isOk(answer: WorkerAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

/** Faults in the order they were applied (one process lists them so); stable, so ties keep worker order. */
function inAppliedOrder(faults: unknown[]): unknown[] {
  const at = (fault: unknown): number => {
    const value = field(fault, 'appliedAtMs');
    return typeof value === 'number' ? value : 0;
  };
  return [...faults].sort((a, b) => at(a) - at(b));
}

/** Thrown inside the answerer to answer with a status ControlError does not have (502, 503). */
class FleetAnswer extends Error {
  constructor(readonly answer: WorkerAnswer) {
    super(String(field(answer.body, 'error')));
  }
}

export function fleetAnswerer(ownership: FleetOwnership, links: WorkerLinks): RouteAnswerer {
  const linkOf = (worker: number): WorkerLink => {
    const link = links.link(worker);
    if (link === undefined) throw new FleetAnswer({ status: 503, body: { error: `worker ${worker}/${links.count} is not ready yet` } });
    return link;
  };

  const ask = (worker: number, route: AnyRoute, request: AnyRouteRequest): Promise<WorkerAnswer> => {
    const body = request.body;
    const declared = route.body;
    return linkOf(worker).ask({
      method: route.method,
      target: targetOf(route, request),
      ...(declared === undefined
        ? {}
        : declared.kind === 'text'
          ? { body: String(body), contentType: declared.contentType }
          : { body: JSON.stringify(body), contentType: 'application/json' }),
    });
  };

  /** Every worker's answer, in worker order; the first failure (in worker order) is the answer. */
  const askAll = async (route: AnyRoute, request: AnyRouteRequest): Promise<WorkerAnswer[]> => {
    const workers = Array.from({ length: links.count }, (_, i) => i + 1);
    for (const w of workers) linkOf(w);
    const answers = await Promise.all(workers.map((w) => ask(w, route, request)));
    const failed = answers.find((answer) => !isOk(answer));
    if (failed !== undefined) throw new FleetAnswer(failed);
    return answers;
  };

  const timeline = new FleetTimeline(links.count, ownership, ask);

  const ownerOfMeter = (id: string): number => {
    const worker = ownership.workerOfMeter(id);
    if (worker === undefined) throw new ControlError(404, `no meter "${id}"`);
    return worker;
  };

  const activeFaults = async (): Promise<number> => {
    const answers = await askAll(controlRoutes.listFaults, { params: {}, query: {}, body: undefined });
    return answers.reduce((sum, answer) => sum + arrayField(answer.body, 'faults').length, 0);
  };

  const validFault = (body: unknown): CommFaultSpec => {
    try {
      return parseCommFaultSpec(body);
    } catch (error) {
      if (error instanceof RangeError) throw new ControlError(400, error.message);
      throw error;
    }
  };

  const applyFault = async (route: AnyRoute, request: AnyRouteRequest): Promise<WorkerAnswer> => {
    const spec = validFault(request.body);
    const meter = (request.query as { meter?: string | undefined }).meter;
    let adding = 1;
    let target: number | undefined;
    if (meter !== undefined) {
      target = ownerOfMeter(meter);
      adding = ownership.faultScopeCount(meter);
    } else if (spec.scope?.endpoint !== undefined) {
      target = ownership.workerOfEndpoint(spec.scope.endpoint);
      if (target === undefined) throw new ControlError(404, `no endpoint "${spec.scope.endpoint}"; endpoints: ${ownership.endpointNames.join(', ') || 'none'}`);
    }
    const active = await activeFaults();
    if (active + adding > MAX_ACTIVE_FAULTS) {
      throw new ControlError(429, `at most ${MAX_ACTIVE_FAULTS} communication faults may be active (${active} are); clear some first`);
    }
    if (target !== undefined) {
      const answer = await ask(target, route, request);
      return isOk(answer) ? { status: answer.status, body: { faults: fleetFaults(target, answer.body) } } : answer;
    }
    const answers = await askAll(route, request);
    return { status: route.status, body: { faults: answers.flatMap((answer, i) => fleetFaults(i + 1, answer.body)) } };
  };

  const answerRoute = async (name: ControlRouteName, route: AnyRoute, request: AnyRouteRequest): Promise<WorkerAnswer> => {
    const params: Record<string, string> = request.params;
    switch (name) {
      case 'openApi':
        return { status: route.status, body: controlOpenApi() };
      case 'listMeters': {
        const answers = await askAll(route, request);
        const meters = answers.flatMap((answer) => arrayField(answer.body, 'meters'));
        meters.sort((a, b) => ownership.orderOf(String(field(a, 'id'))) - ownership.orderOf(String(field(b, 'id'))));
        return { status: route.status, body: { meters } };
      }
      case 'listFaults':
      case 'clearFaults': {
        const meter = (request.query as { meter?: string | undefined }).meter;
        if (meter !== undefined) {
          const worker = ownerOfMeter(meter);
          const answer = await ask(worker, route, request);
          return name === 'listFaults' && isOk(answer) ? { status: answer.status, body: { faults: fleetFaults(worker, answer.body) } } : answer;
        }
        const answers = await askAll(route, request);
        if (name === 'listFaults') return { status: route.status, body: { faults: inAppliedOrder(answers.flatMap((answer, i) => fleetFaults(i + 1, answer.body))) } };
        const cleared = answers.reduce((sum, answer) => sum + Number(field(answer.body, 'cleared') ?? 0), 0);
        return { status: route.status, body: { cleared } };
      }
      case 'applyFault':
        return applyFault(route, request);
      case 'clearFault': {
        const faultId = params.faultId ?? '';
        const parsed = parseFleetFaultId(faultId);
        if (parsed === undefined || parsed.worker < 1 || parsed.worker > links.count) throw new ControlError(404, `no active fault "${faultId}"`);
        const answer = await ask(parsed.worker, route, { ...request, params: { faultId: parsed.id } });
        if (answer.status === 404) throw new ControlError(404, `no active fault "${faultId}"`);
        return answer;
      }
      case 'startTimeline':
        return timeline.start(route, request);
      case 'timelineStatus':
        return timeline.status(route, request);
      case 'stopTimeline':
        return timeline.stop(route);
      case 'snapshot':
      case 'events':
      case 'profile':
      case 'registers':
      case 'setRelay':
      case 'reset':
      case 'listScenarios':
      case 'beginScenario':
      case 'endScenarios':
      case 'endScenario':
        return ask(ownerOfMeter(params.id ?? ''), route, request);
    }
  };

  return async (route, request) => {
    const name = routeNames.get(route);
    if (name === undefined) return { status: 404, body: { error: `no route ${route.path}` } };
    try {
      return await answerRoute(name, route, request);
    } catch (error) {
      if (error instanceof FleetAnswer) return error.answer;
      throw error;
    }
  };
}
