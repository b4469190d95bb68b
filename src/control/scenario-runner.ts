/**
 * The physical scenarios active on one meter: begins them on its target, remembers them, ends
 * them on request and forgets them once their time is over (meter clock).
 */
import type { PhysicalScenario } from './physical-scenario.js';
import { physicalScenarioSchema } from './physical-scenario.js';
import type { PhysicalTarget } from './physical-target.js';
import { formatIssues } from '../modbus/faults/comm-fault-schema.js';

export interface ActiveScenario {
  id: string;
  scenario: PhysicalScenario;
  startMs: number;
  /** undefined: until cleared. */
  endMs: number | undefined;
}

export function parsePhysicalScenario(value: unknown): PhysicalScenario {
  const result = physicalScenarioSchema.safeParse(value);
  if (!result.success) throw new RangeError(`invalid scenario: ${formatIssues(result.error.issues)}`);
  return result.data;
}

export class ScenarioRunner {
  private active: { entry: ActiveScenario; end: (atMs: number) => void }[] = [];
  private nextId = 1;

  constructor(
    private readonly target: PhysicalTarget,
    private readonly clock: { nowMs(): number },
  ) {}

  /** Begin a scenario now, or at `startMs` when given (a timeline passes its scheduled time). */
  begin(scenario: unknown, startMs: number = this.clock.nowMs()): ActiveScenario {
    const valid = parsePhysicalScenario(scenario);
    const endMs = valid.durationMs === undefined ? undefined : startMs + valid.durationMs;
    const end = this.target.begin(valid, startMs, endMs);
    const entry: ActiveScenario = { id: `s${this.nextId++}`, scenario: valid, startMs, endMs };
    this.active.push({ entry, end });
    return { ...entry };
  }

  /** End one scenario now; false when it is not active. */
  end(id: string): boolean {
    this.expire();
    const found = this.active.find((a) => a.entry.id === id);
    if (found === undefined) return false;
    found.end(this.clock.nowMs());
    this.active = this.active.filter((a) => a !== found);
    return true;
  }

  /** End every active scenario; returns how many. */
  endAll(): number {
    this.expire();
    const count = this.active.length;
    const now = this.clock.nowMs();
    for (const a of this.active) a.end(now);
    this.active = [];
    return count;
  }

  list(): ActiveScenario[] {
    this.expire();
    return this.active.map((a) => ({ ...a.entry }));
  }

  /** Forget scenarios whose time is over, telling the target they ended at their planned end. */
  expire(): void {
    const now = this.clock.nowMs();
    const over = this.active.filter((a) => a.entry.endMs !== undefined && a.entry.endMs <= now);
    if (over.length === 0) return;
    this.active = this.active.filter((a) => !over.includes(a));
    for (const a of over) a.end(a.entry.endMs ?? now);
  }
}
