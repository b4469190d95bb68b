/**
 * The meter's clock, injected so that the meter itself stays pure: real time, simulated time
 * running N times faster than real time, or a manual clock a test moves by hand.
 * Every clock returns whole milliseconds since the Unix epoch (UTC).
 */

export interface Clock {
  nowMs(): number;
}

/** Wall-clock time (Date.now). */
export class RealClock implements Clock {
  nowMs(): number {
    return Date.now();
  }
}

/**
 * Simulated time: starts at `startMs` and runs `speed` times faster than the real clock it reads
 * (performance.now by default, injectable for tests). speed 1440 = a day per real minute.
 */
export class SimulatedClock implements Clock {
  private readonly realStartMs: number;

  constructor(
    readonly startMs: number,
    readonly speed: number,
    private readonly realNowMs: () => number = () => performance.now(),
  ) {
    if (!Number.isFinite(speed) || speed <= 0) {
      throw new RangeError(`clock speed must be a positive number, got ${speed}`);
    }
    if (!Number.isFinite(startMs)) throw new RangeError(`clock start must be a finite time, got ${startMs}`);
    this.realStartMs = realNowMs();
  }

  nowMs(): number {
    return Math.floor(this.startMs + (this.realNowMs() - this.realStartMs) * this.speed);
  }
}

/** A clock that only moves when told to: tests drive a year of meter time in milliseconds. */
export class ManualClock implements Clock {
  constructor(private timeMs: number) {}

  nowMs(): number {
    return this.timeMs;
  }

  set(timeMs: number): void {
    this.timeMs = Math.floor(timeMs);
  }

  advance(ms: number): number {
    this.timeMs += Math.floor(ms);
    return this.timeMs;
  }
}
