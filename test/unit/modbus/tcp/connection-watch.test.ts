import { describe, expect, it } from 'vitest';
import { ConnectionWatch, type WatchedConnection } from '../../../../src/modbus/tcp/connection-watch.js';

class FakeConnection implements WatchedConnection {
  lastRequestAtMs = Number.NaN;
  partialSinceMs = Number.NaN;
  closed = false;
  constructor(
    readonly name: string,
    readonly connectedAtMs: number,
  ) {}
  close(): void {
    this.closed = true;
  }
}

function watchOf(now: { ms: number }, events: string[], options: { max?: number; idle?: number; frame?: number; grace?: number } = {}): ConnectionWatch<FakeConnection> {
  return new ConnectionWatch<FakeConnection>({
    maxConnections: options.max ?? 3,
    idleTimeoutMs: options.idle ?? 60_000,
    frameTimeoutMs: options.frame ?? 5_000,
    evictionGraceMs: options.grace ?? 10_000,
    onIdle: (c) => events.push(`idle ${c.name}`),
    onFrameTimeout: (c) => events.push(`frame-timeout ${c.name}`),
    now: () => now.ms,
  });
}

describe('ConnectionWatch', () => {
  it('closes a connection whose incomplete request is older than the frame timeout, however recent its last byte', () => {
    const now = { ms: 0 };
    const events: string[] = [];
    const watch = watchOf(now, events);
    const slow = new FakeConnection('slow', 0);
    watch.add(slow);
    slow.partialSinceMs = 1000; // first byte at 1 s; later bytes do not move it
    watch.sweep(5999);
    expect(slow.closed).toBe(false);
    watch.sweep(6000);
    expect(slow.closed).toBe(true);
    expect(events).toEqual(['frame-timeout slow']);
    expect(watch.size).toBe(0);
    watch.stop();
  });

  it('counts idleness from the last complete request (or the connection), not from bytes', () => {
    const now = { ms: 0 };
    const events: string[] = [];
    const watch = watchOf(now, events, { idle: 1000, frame: 0 });
    const a = new FakeConnection('a', 0);
    const b = new FakeConnection('b', 0);
    watch.add(a);
    watch.add(b);
    b.lastRequestAtMs = 500;
    watch.sweep(999);
    expect(events).toEqual([]);
    watch.sweep(1000);
    expect(events).toEqual(['idle a']);
    watch.sweep(1500);
    expect(events).toEqual(['idle a', 'idle b']);
    watch.stop();
  });

  it('at the limit closes the slowest, then a silent, then the idlest beyond the grace time; refuses when all are busy', () => {
    const now = { ms: 20_000 };
    const events: string[] = [];
    const watch = watchOf(now, events, { max: 3, grace: 10_000 });
    const busy = new FakeConnection('busy', 0);
    const idle = new FakeConnection('idle', 1);
    const silent = new FakeConnection('silent', 2);
    busy.lastRequestAtMs = 19_000;
    idle.lastRequestAtMs = 9_000;
    for (const c of [busy, idle, silent]) watch.add(c);
    const slow = new FakeConnection('slow', 3);
    slow.lastRequestAtMs = 19_500;
    slow.partialSinceMs = 19_900;
    const victims: string[] = [];
    const evict = (c: FakeConnection): void => {
      victims.push(c.name);
    };
    watch.delete(idle);
    watch.add(slow);
    expect(watch.makeRoom(evict)).toBe(true);
    expect(victims).toEqual(['slow']);
    watch.add(idle);
    expect(watch.makeRoom(evict)).toBe(true);
    expect(victims).toEqual(['slow', 'silent']);
    const other = new FakeConnection('other', 4);
    other.lastRequestAtMs = 19_999;
    watch.add(other);
    expect(watch.makeRoom(evict)).toBe(true);
    expect(victims).toEqual(['slow', 'silent', 'idle']);
    const third = new FakeConnection('third', 5);
    third.lastRequestAtMs = 19_998;
    watch.add(third);
    expect(watch.makeRoom(evict)).toBe(false);
    expect(victims).toEqual(['slow', 'silent', 'idle']);
    expect([busy.closed, other.closed, third.closed]).toEqual([false, false, false]);
    watch.stop();
  });

  it('refuses a new connection only when every open one completed a request within the grace time', () => {
    const now = { ms: 20_000 };
    const watch = watchOf(now, [], { max: 2, grace: 10_000 });
    const a = new FakeConnection('a', 0);
    const b = new FakeConnection('b', 0);
    a.lastRequestAtMs = 10_001;
    b.lastRequestAtMs = 15_000;
    watch.add(a);
    watch.add(b);
    const victims: string[] = [];
    expect(watch.makeRoom((c) => victims.push(c.name))).toBe(false);
    now.ms = 20_001;
    expect(watch.makeRoom((c) => victims.push(c.name))).toBe(true);
    expect(victims).toEqual(['a']);
    expect(a.closed).toBe(true);
    watch.stop();
  });
});
