/**
 * The timeline routes of `serve --workers N`: one timeline over the fleet, played by the workers.
 *
 * POST /timeline is parsed and checked here first (the 400s one process gives: the file's own
 * problems, then `file:line: no meter "x"`), then cut per worker (timeline-cut.ts: each worker
 * gets the steps for its meters and the steps for every meter, the other steps blanked so lines
 * stay true) and started in each worker at once; a running one is stopped first, in every worker
 * that plays it, as one process replaces it. GET /timeline merges the workers' progress into the
 * status one process gives (a step for every meter is one history entry, its results merged; the
 * history in the order one process plays it: by time, then line; fault ids made fleet ids);
 * DELETE /timeline stops it everywhere.
 */
import { ControlError } from '../../control/control-error.js';
import type { TimelineStatus } from '../../control/fault-controller.js';
import { controlRoutes } from '../../control/http/control-routes.js';
import type { AnyRouteRequest } from '../../control/http/control-server.js';
import type { AnyRoute } from '../../control/http/route-definition.js';
import { timelineStepsForControl } from '../../control/timeline/parse-timeline.js';
import type { TimelineStep } from '../../control/timeline/timeline-schema.js';
import { withFleetFaultIds } from './fleet-fault-ids.js';
import type { FleetOwnership } from './fleet-ownership.js';
import { arrayField, field } from './json-fields.js';
import { cutTimeline } from './timeline-cut.js';
import type { WorkerAnswer } from './worker-link.js';

/** Asks worker w to answer a route (the fleet answerer's link to it). */
export type AskWorker = (worker: number, route: AnyRoute, request: AnyRouteRequest) => Promise<WorkerAnswer>;

type HistoryEntry = TimelineStatus['history'][number];

const NO_REQUEST: AnyRouteRequest = { params: {}, query: {}, body: undefined };

function isOk(answer: WorkerAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

function numberField(body: unknown, name: string): number | undefined {
  const value = field(body, name);
  return typeof value === 'number' ? value : undefined;
}

/**
 * What several workers' results of one step say as one process's: counts of a clear step summed
 * ("2 faults cleared, 1 scenarios ended"), ids of faults and scenarios listed ("w1-f3 w2-f1").
 */
function mergedResult(results: readonly string[]): string {
  const shape = (result: string): string => result.replace(/\d+/g, 'N');
  const first = results[0] ?? '';
  const isCount = /cleared|ended/.test(first) && results.every((result) => shape(result) === shape(first));
  if (!isCount) return results.filter((result) => result !== '').join(' ');
  const sums = results.map((result) => (result.match(/\d+/g) ?? []).map(Number)).reduce((total, counts) => total.map((n, i) => n + (counts[i] ?? 0)));
  let i = 0;
  return first.replace(/\d+/g, () => String(sums[i++] ?? 0));
}

/**
 * The workers' statuses as one process's: a step every worker played (a step for every meter) is
 * one history entry; the history in play order (time, then line); `total` the timeline's steps,
 * `applied` the entries; the earliest start and next step.
 */
export function mergeTimelineStatus(statuses: readonly unknown[], total: number): unknown {
  const first = statuses[0];
  const byStep = new Map<string, HistoryEntry[]>();
  for (const entry of statuses.flatMap((status) => arrayField(status, 'history') as HistoryEntry[])) {
    const key = `${entry.atMs}:${entry.line}`;
    byStep.set(key, [...(byStep.get(key) ?? []), entry]);
  }
  const history = [...byStep.values()].map((entries): HistoryEntry => {
    const played = entries[0] ?? { atMs: 0, line: 0, scheduledMs: 0, ok: false, result: '' };
    const failed = entries.filter((entry) => !entry.ok);
    return {
      ...played,
      scheduledMs: Math.min(...entries.map((entry) => entry.scheduledMs)),
      ok: failed.length === 0,
      result: failed.length === 0 ? mergedResult(entries.map((entry) => entry.result)) : failed.map((entry) => entry.result).join('; '),
    };
  });
  history.sort((a, b) => a.atMs - b.atMs || a.line - b.line);
  const defined = (name: string): number[] => statuses.map((status) => numberField(status, name)).filter((n): n is number => n !== undefined);
  const next = defined('nextAtMs');
  return {
    running: statuses.some((status) => field(status, 'running') === true),
    name: field(first, 'name'),
    startMs: Math.min(...defined('startMs')),
    total,
    applied: history.length,
    ...(next.length === 0 ? {} : { nextAtMs: Math.min(...next) }),
    history,
  };
}

export class FleetTimeline {
  /** The workers playing the timeline started last (empty: none started). */
  private workers: number[] = [];
  /** Its steps. */
  private total = 0;

  constructor(
    private readonly count: number,
    private readonly ownership: FleetOwnership,
    private readonly ask: AskWorker,
  ) {}

  async start(route: AnyRoute, request: AnyRouteRequest): Promise<WorkerAnswer> {
    const name = (request.query as { name?: string | undefined }).name ?? 'timeline';
    const text = String(request.body);
    const steps = timelineStepsForControl(text, name);
    const everyWorker = Array.from({ length: this.count }, (_, i) => i + 1);
    const problems: string[] = [];
    const workersOf = (step: TimelineStep): number[] => {
      if (step.meter === undefined) return everyWorker;
      const worker = this.ownership.workerOfMeter(step.meter);
      return worker === undefined ? [] : [worker];
    };
    for (const step of steps) {
      if (step.meter !== undefined && this.ownership.workerOfMeter(step.meter) === undefined) problems.push(`${name}:${step.line}: no meter "${step.meter}"`);
    }
    if (problems.length > 0) throw new ControlError(400, problems.join('\n'));
    const cut = cutTimeline(text, steps, workersOf);
    if (cut === undefined) {
      throw new ControlError(409, 'this timeline reaches meters of several workers and lists its steps in flow style ([...]); with --workers, write the steps as a block list (one "- at: ..." per step)');
    }
    await this.stopAll();
    const started = [...cut.keys()];
    const answers = await Promise.all(started.map((w) => this.ask(w, route, { ...request, body: cut.get(w) ?? '' })));
    const failed = answers.find((answer) => !isOk(answer));
    this.workers = started.filter((_, i) => answers[i] !== undefined && isOk(answers[i]));
    this.total = steps.length;
    if (failed !== undefined) {
      await this.stopAll();
      return failed;
    }
    return { status: route.status, body: mergeTimelineStatus(answers.map((answer, i) => withFleetFaultIds(started[i] ?? 0, answer.body)), this.total) };
  }

  async status(route: AnyRoute, request: AnyRouteRequest): Promise<WorkerAnswer> {
    if (this.workers.length === 0) throw new ControlError(404, 'no timeline has been started');
    const workers = this.workers;
    const answers = await Promise.all(workers.map((w) => this.ask(w, route, request)));
    const failed = answers.find((answer) => !isOk(answer));
    if (failed !== undefined) return failed;
    return { status: route.status, body: mergeTimelineStatus(answers.map((answer, i) => withFleetFaultIds(workers[i] ?? 0, answer.body)), this.total) };
  }

  async stop(route: AnyRoute): Promise<WorkerAnswer> {
    return { status: route.status, body: { stopped: await this.stopAll() } };
  }

  /** Stops the timeline in every worker playing it; whether one was running. */
  private async stopAll(): Promise<boolean> {
    const answers = await Promise.all(this.workers.map((w) => this.ask(w, controlRoutes.stopTimeline, NO_REQUEST)));
    return answers.some((answer) => field(answer.body, 'stopped') === true);
  }
}
