import { describe, expect, it } from 'vitest';
import { CommFaultPolicy } from '../../../src/modbus/faults/comm-fault-policy.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';
import { rtuFraming } from '../../../src/modbus/framing/rtu-framing.js';

function clockAt(start: number): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const read = { unitId: 1, functionCode: 3 };

describe('CommFaultPolicy', () => {
  it('returns undefined when no fault is active (the fast path)', () => {
    const policy = new CommFaultPolicy();
    const hook = policy.forEndpoint('tcp:a', mbapFraming);
    expect(hook.decide(read)).toBeUndefined();
  });

  it('no-response for the next N requests, then clears itself', () => {
    const policy = new CommFaultPolicy();
    const hook = policy.forEndpoint('tcp:a', mbapFraming);
    const fault = policy.apply({ kind: 'no-response', count: 3 });
    const outcomes = [0, 1, 2, 3, 4].map(() => hook.decide(read)?.outcome ?? 'normal');
    expect(outcomes).toEqual(['silence', 'silence', 'silence', 'normal', 'normal']);
    expect(policy.list()).toEqual([]);
    expect(policy.clear(fault.id)).toBe(false);
  });

  it('clears itself after its duration on the injected clock', () => {
    const clock = clockAt(1_000_000);
    const policy = new CommFaultPolicy({ now: clock.now });
    const hook = policy.forEndpoint('tcp:a', mbapFraming);
    policy.apply({ kind: 'exception', code: 6, durationMs: 500 });
    expect(hook.decide(read)).toMatchObject({ outcome: 'exception', exceptionCode: 6 });
    clock.advance(499);
    expect(hook.decide(read)?.exceptionCode).toBe(6);
    clock.advance(1);
    expect(hook.decide(read)).toBeUndefined();
    expect(policy.activeCount).toBe(0);
  });

  it('scopes by endpoint, unit id and function code', () => {
    const policy = new CommFaultPolicy();
    policy.apply({ kind: 'exception', code: 2, scope: { endpoint: 'tcp:a', unitId: 5, functionCodes: [4] } });
    const a = policy.forEndpoint('tcp:a', mbapFraming);
    const b = policy.forEndpoint('tcp:b', mbapFraming);
    expect(a.decide({ unitId: 5, functionCode: 4 })?.exceptionCode).toBe(2);
    expect(a.decide({ unitId: 5, functionCode: 3 })).toBeUndefined();
    expect(a.decide({ unitId: 6, functionCode: 4 })).toBeUndefined();
    expect(b.decide({ unitId: 5, functionCode: 4 })).toBeUndefined();
  });

  it('a rate fires about that often, identically for the same seed', () => {
    const run = (seed: number): boolean[] => {
      const policy = new CommFaultPolicy({ seed });
      policy.apply({ kind: 'no-response', rate: 0.25 });
      const hook = policy.forEndpoint('rtu:x', rtuFraming);
      return Array.from({ length: 4000 }, () => hook.decide(read) !== undefined);
    };
    const first = run(42);
    const fired = first.filter(Boolean).length;
    expect(fired).toBeGreaterThan(4000 * 0.25 - 120);
    expect(fired).toBeLessThan(4000 * 0.25 + 120);
    expect(run(42)).toEqual(first);
    expect(run(43)).not.toEqual(first);
  });

  it('jitter spreads the delay uniformly around its mean, never below zero', () => {
    const policy = new CommFaultPolicy({ seed: 7 });
    policy.apply({ kind: 'delay', delayMs: 100, jitterMs: 40 });
    const hook = policy.forEndpoint('tcp:a', mbapFraming);
    const delays = Array.from({ length: 2000 }, () => hook.decide(read)?.delayMs ?? -1);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...delays)).toBeLessThanOrEqual(140);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(Math.abs(mean - 100)).toBeLessThan(2);
    expect(Math.min(...delays)).toBeLessThan(62);
    expect(Math.max(...delays)).toBeGreaterThan(138);

    const clamp = new CommFaultPolicy({ seed: 7 });
    clamp.apply({ kind: 'delay', delayMs: 5, jitterMs: 50 });
    const clampHook = clamp.forEndpoint('tcp:a', mbapFraming);
    expect(Math.min(...Array.from({ length: 200 }, () => clampHook.decide(read)?.delayMs ?? -1))).toBe(0);
  });

  it('combines a delay, an outcome and mutations; silence consumes no mutation', () => {
    const policy = new CommFaultPolicy();
    const hook = policy.forEndpoint('rtu:x', rtuFraming);
    policy.apply({ kind: 'corrupt-crc', count: 1 });
    policy.apply({ kind: 'no-response', count: 1 });
    policy.apply({ kind: 'delay', delayMs: 20, count: 2 });
    const first = hook.decide(read);
    expect(first).toMatchObject({ outcome: 'silence', delayMs: 20, mutations: [] });
    const second = hook.decide(read);
    expect(second).toMatchObject({ outcome: 'answer', delayMs: 20, mutations: [{ kind: 'corrupt-crc' }] });
    expect(hook.decide(read)).toBeUndefined();
  });

  it('the first outcome wins; an exception answer can still be mutated', () => {
    const policy = new CommFaultPolicy();
    const hook = policy.forEndpoint('tcp:a', mbapFraming);
    policy.apply({ kind: 'exception', code: 4 });
    policy.apply({ kind: 'no-response' });
    policy.apply({ kind: 'wrong-transaction-id' });
    expect(hook.decide(read)).toMatchObject({
      outcome: 'exception',
      exceptionCode: 4,
      mutations: [{ kind: 'wrong-transaction-id' }],
    });
    expect(policy.list().map((f) => f.fired)).toEqual([1, 0, 1]);
  });

  it('ignores faults that do not exist in the framing', () => {
    const policy = new CommFaultPolicy();
    policy.apply({ kind: 'corrupt-crc', count: 1 });
    policy.apply({ kind: 'wrong-transaction-id', count: 1 });
    policy.apply({ kind: 'disconnect', count: 1 });
    const tcp = policy.forEndpoint('tcp:a', mbapFraming);
    expect(tcp.decide(read)).toMatchObject({ outcome: 'disconnect', mutations: [] });
    const rtu = policy.forEndpoint('rtu:x', rtuFraming);
    expect(rtu.decide(read)).toMatchObject({ outcome: 'answer', mutations: [{ kind: 'corrupt-crc' }] });
    // the transaction-id fault is still waiting for an MBAP exchange
    expect(policy.list().map((f) => f.spec.kind)).toEqual(['wrong-transaction-id']);
    expect(tcp.decide(read)?.mutations).toEqual([{ kind: 'wrong-transaction-id' }]);
  });

  it('wrong-unit-id defaults to the request unit + 1', () => {
    const policy = new CommFaultPolicy();
    policy.apply({ kind: 'wrong-unit-id' });
    expect(policy.decide('e', rtuFraming, { unitId: 7, functionCode: 3 })?.mutations).toEqual([
      { kind: 'wrong-unit-id', unitId: 8 },
    ]);
  });

  it('rejects a bad spec naming the field', () => {
    const policy = new CommFaultPolicy();
    expect(() => policy.apply({ kind: 'no-response', count: 0 })).toThrow(/count/);
    expect(() => policy.apply({ kind: 'exception', code: 0 })).toThrow(/code/);
    expect(() => policy.apply({ kind: 'delay', delayMs: -1 })).toThrow(/delayMs/);
    expect(() => policy.apply({ kind: 'no-response', rate: 1.5 })).toThrow(/rate/);
    expect(() => policy.apply(JSON.parse('{"kind":"melt"}'))).toThrow(/kind/);
  });

  it('reports applied, fired and cleared to listeners, and clears by scope', () => {
    const policy = new CommFaultPolicy();
    const seen: string[] = [];
    policy.onChange((e) => seen.push(`${e.type}:${e.fault.id}`));
    const a = policy.apply({ kind: 'no-response', count: 1, scope: { unitId: 2 } });
    const b = policy.apply({ kind: 'no-response', scope: { unitId: 3 } });
    policy.decide('e', mbapFraming, { unitId: 2, functionCode: 3 });
    expect(policy.clearAll({ unitId: 3 })).toBe(1);
    expect(seen).toEqual([`applied:${a.id}`, `applied:${b.id}`, `fired:${a.id}`, `cleared:${a.id}`, `cleared:${b.id}`]);
  });
});
