/**
 * When each meter publishes next: every meter on its own interval, the fleet's first
 * publications spread evenly over one interval (meter i of n starts at i/n of it), so 10,000
 * meters at 10 s publish 1,000 a second, never 10,000 at once. A binary heap keyed by due time:
 * taking the due meters costs O(k log n), however large the fleet.
 */

interface Entry {
  index: number;
  dueMs: number;
  intervalMs: number;
}

export class PublishSchedule {
  private readonly heap: Entry[] = [];

  /** `intervalsMs[i]`: meter i's interval (ms); meters with 0 are not scheduled. */
  constructor(intervalsMs: readonly number[], startMs: number) {
    const scheduled = intervalsMs.map((intervalMs, index) => ({ index, intervalMs })).filter((e) => e.intervalMs > 0);
    scheduled.forEach((e, position) => {
      this.push({ index: e.index, intervalMs: e.intervalMs, dueMs: startMs + (e.intervalMs * position) / scheduled.length });
    });
  }

  get size(): number {
    return this.heap.length;
  }

  /** Due time of the earliest meter (ms), undefined when none is scheduled. */
  get nextDueMs(): number | undefined {
    return this.heap[0]?.dueMs;
  }

  /**
   * Meters due at `nowMs` (at most `limit`), each rescheduled one interval later (or, when it is
   * more than an interval late, one interval from now: a stalled process does not burst to catch up).
   */
  takeDue(nowMs: number, limit = Number.POSITIVE_INFINITY): number[] {
    const due: number[] = [];
    while (due.length < limit) {
      const top = this.heap[0];
      if (top === undefined || top.dueMs > nowMs) break;
      due.push(top.index);
      const next = top.dueMs + top.intervalMs;
      top.dueMs = next > nowMs ? next : nowMs + top.intervalMs;
      this.siftDown(0);
    }
    return due;
  }

  private push(entry: Entry): void {
    this.heap.push(entry);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = this.heap[parent];
      if (p === undefined || p.dueMs <= entry.dueMs) break;
      this.heap[i] = p;
      i = parent;
    }
    this.heap[i] = entry;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const entry = heap[start];
    if (entry === undefined) return;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const l = heap[left];
      const r = heap[right];
      if (l === undefined) break;
      const child = r !== undefined && r.dueMs < l.dueMs ? right : left;
      const c = heap[child];
      if (c === undefined || c.dueMs >= entry.dueMs) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = entry;
  }
}
