/**
 * Replays a timeline on the meter clock. Deterministic: each step is applied with its scheduled
 * time (start + at), whenever the player is advanced, so the result does not depend on how often
 * or how late `advanceTo` runs; a test drives it with an injected clock.
 */
import type { TimelineStep } from './timeline-schema.js';
import { errorMessage } from '../../common/error-message.js';

export interface PlayedStep {
  step: TimelineStep;
  scheduledMs: number;
  /** What applying it returned (ids), or the error message. */
  result: string;
  ok: boolean;
}

export class TimelinePlayer {
  private next = 0;
  private readonly played: PlayedStep[] = [];
  private stopped = false;

  constructor(
    private readonly steps: readonly TimelineStep[],
    readonly startMs: number,
    private readonly apply: (step: TimelineStep, scheduledMs: number) => string,
  ) {}

  /** Apply every step due at or before `nowMs`, in order; returns how many were applied. */
  advanceTo(nowMs: number): number {
    let count = 0;
    while (!this.stopped && this.next < this.steps.length) {
      const step = this.steps[this.next];
      const scheduledMs = this.startMs + step.atMs;
      if (scheduledMs > nowMs) break;
      this.next += 1;
      count += 1;
      try {
        this.played.push({ step, scheduledMs, result: this.apply(step, scheduledMs), ok: true });
      } catch (error) {
        this.played.push({ step, scheduledMs, result: errorMessage(error), ok: false });
      }
    }
    return count;
  }

  /** Apply nothing more (the history stays). */
  stop(): void {
    this.stopped = true;
  }

  get done(): boolean {
    return this.stopped || this.next >= this.steps.length;
  }

  get total(): number {
    return this.steps.length;
  }

  /** Time of the next step (meter clock), undefined when done. */
  get nextAtMs(): number | undefined {
    const step = this.steps[this.next];
    return step === undefined || this.stopped ? undefined : this.startMs + step.atMs;
  }

  history(): readonly PlayedStep[] {
    return this.played;
  }
}
