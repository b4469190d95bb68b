/**
 * The control core behind the HTTP API, the ctl commands and the timeline: list meters, read
 * their live values, apply and clear communication faults and physical scenarios, play a
 * timeline. Transport-free; the HTTP layer only translates.
 */
import type { LoadProfileRecord, MeterEventRecord, MeterSnapshot } from '../meter/snapshot.js';
import type { ActiveCommFault, CommFaultSpec } from '../modbus/faults/comm-fault.js';
import { parseCommFaultSpec } from '../modbus/faults/comm-fault-schema.js';
import { ControlError } from './control-error.js';
import type { ControlledMeter, ControlRegistry, MeterFaultScope, RegisterRow } from './control-registry.js';
import { ScenarioRunner, type ActiveScenario } from './scenario-runner.js';
import { timelineStepsForControl } from './timeline/parse-timeline.js';
import { TimelinePlayer, type PlayedStep } from './timeline/timeline-player.js';
import type { TimelineStep } from './timeline/timeline-schema.js';

export interface MeterSummary {
  id: string;
  description: string;
  faultScopes: MeterFaultScope[];
  /** Whether physical scenarios can be played on this meter. */
  physical: boolean;
}

export interface TimelineStatus {
  running: boolean;
  name: string;
  startMs: number;
  total: number;
  applied: number;
  nextAtMs: number | undefined;
  history: { atMs: number; line: number; scheduledMs: number; ok: boolean; result: string }[];
}

export interface FaultControllerOptions {
  /**
   * How often (real ms) the controller looks at the meter clock to apply due timeline steps and
   * end timed scenarios. 0: never by itself; the owner calls tick() (tests with an injected
   * clock, or a meter loop once per tick). Default 10.
   */
  tickMs?: number;
}

/** Active communication faults at most (issue 13: 50,000 faults made every request 16x slower). */
export const MAX_ACTIVE_FAULTS = 1000;

export class FaultController {
  private readonly meters = new Map<string, ControlledMeter>();
  private readonly runners = new Map<string, ScenarioRunner>();
  private timeline: { player: TimelinePlayer; name: string } | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    readonly registry: ControlRegistry,
    options: FaultControllerOptions = {},
  ) {
    for (const meter of registry.meters) {
      if (this.meters.has(meter.id)) throw new RangeError(`meter id "${meter.id}" appears twice in the registry`);
      this.meters.set(meter.id, meter);
      if (meter.physical !== undefined) this.runners.set(meter.id, new ScenarioRunner(meter.physical, registry.clock));
    }
    const tickMs = options.tickMs ?? 10;
    this.timer = tickMs > 0 ? setInterval(() => this.tick(), tickMs) : undefined;
    this.timer?.unref();
  }

  /** Apply due timeline steps and end timed scenarios (meter clock). */
  tick(): void {
    this.timeline?.player.advanceTo(this.registry.clock.nowMs());
    for (const runner of this.runners.values()) runner.expire();
  }

  listMeters(): MeterSummary[] {
    return [...this.meters.values()].map((m) => ({
      id: m.id,
      description: m.description,
      faultScopes: m.faultScopes.map((s) => ({ ...s })),
      physical: m.physical !== undefined,
    }));
  }

  snapshot(meterId: string): MeterSnapshot {
    return this.meter(meterId).commands.snapshot();
  }

  /** The newest `count` load-profile records, newest first. */
  profile(meterId: string, count: number): LoadProfileRecord[] {
    const commands = this.meter(meterId).commands;
    const records: LoadProfileRecord[] = [];
    for (let i = 0; i < count; i++) {
      const record = commands.profileRecord(i);
      if (record === undefined) break;
      records.push(record);
    }
    return records;
  }

  /** The meter's register map as served now. */
  registers(meterId: string): RegisterRow[] {
    const meter = this.meter(meterId);
    if (meter.registers === undefined) throw new ControlError(409, `meter "${meterId}" has no register map`);
    return meter.registers();
  }

  /** Open (false) or close (true) the load relay, as the relay register would. */
  setRelay(meterId: string, body: unknown): { closed: boolean } {
    const closed = typeof body === 'object' && body !== null && 'closed' in body ? body.closed : undefined;
    if (typeof closed !== 'boolean') throw new ControlError(400, 'closed: expected true or false');
    const commands = this.meter(meterId).commands;
    commands.setRelay(closed);
    return { closed: commands.snapshot().relayClosed };
  }

  /** Reset the energy registers or the demand maxima, as the reset commands of the maps do. */
  reset(meterId: string, body: unknown): { reset: 'energy' | 'demand' } {
    const what = typeof body === 'object' && body !== null && 'what' in body ? body.what : undefined;
    if (what !== 'energy' && what !== 'demand') throw new ControlError(400, 'what: expected "energy" or "demand"');
    const commands = this.meter(meterId).commands;
    if (what === 'energy') commands.resetEnergy();
    else commands.resetDemand();
    return { reset: what };
  }

  /** The newest `count` event records, newest first. */
  events(meterId: string, count: number): MeterEventRecord[] {
    const commands = this.meter(meterId).commands;
    const records: MeterEventRecord[] = [];
    for (let i = 0; i < count; i++) {
      const record = commands.eventRecord(i);
      if (record === undefined) break;
      records.push(record);
    }
    return records;
  }

  listFaults(meterId?: string): ActiveCommFault[] {
    const all = this.registry.commFaults.list();
    if (meterId === undefined) return all;
    const scopes = this.meter(meterId).faultScopes;
    return all.filter((f) => scopes.some((s) => f.spec.scope?.endpoint === s.endpoint && f.spec.scope?.unitId === s.unitId));
  }

  /**
   * Apply a communication fault. With `meterId`, one fault per endpoint the meter is served on
   * (scoped to its unit id there); otherwise as given (its own scope, or everywhere).
   */
  applyFault(spec: unknown, meterId?: string): ActiveCommFault[] {
    const valid = this.validFault(spec);
    const adding = meterId === undefined ? 1 : this.meter(meterId).faultScopes.length;
    const active = this.registry.commFaults.activeCount;
    if (active + adding > MAX_ACTIVE_FAULTS) {
      throw new ControlError(429, `at most ${MAX_ACTIVE_FAULTS} communication faults may be active (${active} are); clear some first`);
    }
    if (meterId === undefined) {
      const endpoint = valid.scope?.endpoint;
      if (endpoint !== undefined && !this.registry.endpoints.some((e) => e.name === endpoint)) {
        throw new ControlError(404, `no endpoint "${endpoint}"; endpoints: ${this.registry.endpoints.map((e) => e.name).join(', ') || 'none'}`);
      }
      return [this.registry.commFaults.apply(valid)];
    }
    const meter = this.meter(meterId);
    if (meter.faultScopes.length === 0) throw new ControlError(409, `meter "${meterId}" is not served on any endpoint`);
    return meter.faultScopes.map((s) =>
      this.registry.commFaults.apply({ ...valid, scope: { ...valid.scope, endpoint: s.endpoint, unitId: s.unitId } }),
    );
  }

  clearFault(id: string): void {
    if (!this.registry.commFaults.clear(id)) throw new ControlError(404, `no active fault "${id}"`);
  }

  /** Clear all faults, or those of one meter; returns how many. */
  clearFaults(meterId?: string): number {
    if (meterId === undefined) return this.registry.commFaults.clearAll();
    let count = 0;
    for (const s of this.meter(meterId).faultScopes) count += this.registry.commFaults.clearAll(s);
    return count;
  }

  listScenarios(meterId: string): ActiveScenario[] {
    return this.runner(meterId).list();
  }

  /** Begin a physical scenario on one meter now (or at `atMs`, meter clock). */
  beginScenario(meterId: string, scenario: unknown, atMs?: number): ActiveScenario {
    const runner = this.runner(meterId);
    try {
      return runner.begin(scenario, atMs);
    } catch (error) {
      if (error instanceof RangeError) throw new ControlError(400, error.message);
      throw error;
    }
  }

  endScenario(meterId: string, scenarioId: string): void {
    if (!this.runner(meterId).end(scenarioId)) throw new ControlError(404, `no active scenario "${scenarioId}" on meter "${meterId}"`);
  }

  endScenarios(meterId?: string): number {
    if (meterId !== undefined) return this.runner(meterId).endAll();
    let count = 0;
    for (const runner of this.runners.values()) count += runner.endAll();
    return count;
  }

  /**
   * Load a YAML timeline and start it now (meter clock). Replaces a running one. Meter ids and
   * physical capabilities are checked before anything runs; errors name the line.
   */
  startTimeline(text: string, name = 'timeline'): TimelineStatus {
    const steps = timelineStepsForControl(text, name);
    const problems: string[] = [];
    for (const step of steps) {
      const where = `${name}:${step.line}`;
      if (step.meter !== undefined && !this.meters.has(step.meter)) problems.push(`${where}: no meter "${step.meter}"`);
      else if (step.action.type === 'scenario' && this.physicalTargets(step.meter).length === 0) {
        const who = step.meter === undefined ? 'no meter can' : `meter "${step.meter}" cannot`;
        problems.push(`${where}: ${who} play physical scenarios (they need a synthetic source)`);
      } else if (step.action.type === 'fault' && step.meter !== undefined && this.meter(step.meter).faultScopes.length === 0) {
        problems.push(`${where}: meter "${step.meter}" is not served on any endpoint`);
      }
    }
    if (problems.length > 0) throw new ControlError(400, problems.join('\n'));
    this.stopTimeline();
    const player = new TimelinePlayer(steps, this.registry.clock.nowMs(), (step, scheduledMs) => this.applyStep(step, scheduledMs));
    this.timeline = { player, name };
    this.tick();
    return this.timelineStatus();
  }

  timelineStatus(): TimelineStatus {
    const timeline = this.timeline;
    if (timeline === undefined) throw new ControlError(404, 'no timeline has been started');
    const history = timeline.player.history().map((p: PlayedStep) => ({
      atMs: p.step.atMs,
      line: p.step.line,
      scheduledMs: p.scheduledMs,
      ok: p.ok,
      result: p.result,
    }));
    return {
      running: !timeline.player.done,
      name: timeline.name,
      startMs: timeline.player.startMs,
      total: timeline.player.total,
      applied: history.length,
      nextAtMs: timeline.player.nextAtMs,
      history,
    };
  }

  /** Stop the running timeline (what it started stays until it ends or is cleared); false when none runs. */
  stopTimeline(): boolean {
    const timeline = this.timeline;
    if (timeline === undefined) return false;
    const wasRunning = !timeline.player.done;
    timeline.player.stop();
    return wasRunning;
  }

  /** Stop timers (the owner calls this on shutdown). */
  close(): void {
    this.stopTimeline();
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  private applyStep(step: TimelineStep, scheduledMs: number): string {
    const action = step.action;
    switch (action.type) {
      case 'scenario': {
        const targets = this.physicalTargets(step.meter);
        return targets.map((id) => `${id}:${this.beginScenario(id, action.scenario, scheduledMs).id}`).join(' ');
      }
      case 'fault':
        return this.applyFault(action.spec, step.meter)
          .map((f) => f.id)
          .join(' ');
      case 'clear': {
        const parts: string[] = [];
        if (action.what !== 'scenarios') parts.push(`${this.clearFaults(step.meter)} faults cleared`);
        if (action.what !== 'faults') parts.push(`${this.endScenarios(step.meter)} scenarios ended`);
        return parts.join(', ');
      }
    }
  }

  private physicalTargets(meterId: string | undefined): string[] {
    if (meterId !== undefined) return this.runners.has(meterId) ? [meterId] : [];
    return [...this.runners.keys()];
  }

  private validFault(spec: unknown): CommFaultSpec {
    try {
      return parseCommFaultSpec(spec);
    } catch (error) {
      if (error instanceof RangeError) throw new ControlError(400, error.message);
      throw error;
    }
  }

  private meter(id: string): ControlledMeter {
    const meter = this.meters.get(id);
    if (meter === undefined) throw new ControlError(404, `no meter "${id}"`);
    return meter;
  }

  private runner(meterId: string): ScenarioRunner {
    const meter = this.meter(meterId);
    const runner = this.runners.get(meter.id);
    if (runner === undefined) throw new ControlError(409, `meter "${meterId}" has no changeable source (physical scenarios need a synthetic source)`);
    return runner;
  }
}
