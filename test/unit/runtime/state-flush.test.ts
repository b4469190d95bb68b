import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/runtime/log/logger.js';
import type { PanelMeter } from '../../../src/runtime/panel-meter.js';
import { panelFromFlags } from '../../../src/runtime/config/panel-from-flags.js';
import { DEFAULT_FLUSH_MS, StateFlush } from '../../../src/runtime/state-flush.js';
import { buildDemoDevice } from '../../../src/runtime/meters/demo-device.js';

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { level: 'error', errors, enabled: () => true, error: (m) => errors.push(m), warn: () => undefined, info: () => undefined, debug: () => undefined };
}

/** Meters whose flush counts, resolves when told to, or fails. */
function meters(stateDir: string | undefined, failing: ReadonlySet<number> = new Set()) {
  const flushes = [0, 0, 0];
  const list: PanelMeter[] = panelFromFlags({ count: 3, state: stateDir }).meters.map((spec, i) => ({
    spec,
    device: buildDemoDevice(),
    sourceDescription: 'test',
    tick: () => undefined,
    flush: async () => {
      flushes[i] = (flushes[i] ?? 0) + 1;
      if (failing.has(i)) throw new Error('disk full');
    },
    close: () => Promise.resolve(),
  }));
  return { list, flushes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('StateFlush', () => {
  it('flushes every meter every 500 ms (so a SIGKILL loses under a second), and stops', async () => {
    expect(DEFAULT_FLUSH_MS).toBe(500);
    vi.useFakeTimers();
    const { list, flushes } = meters('/var/lib/sm');
    const flush = new StateFlush(list, recordingLogger());
    flush.start();
    await vi.advanceTimersByTimeAsync(1999);
    expect(flushes).toEqual([3, 3, 3]);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushes).toEqual([4, 4, 4]);
    await flush.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(flushes).toEqual([4, 4, 4]);
  });

  it('runs no timer when no meter has a state directory', async () => {
    vi.useFakeTimers();
    const { list, flushes } = meters(undefined);
    new StateFlush(list, recordingLogger()).start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(flushes).toEqual([0, 0, 0]);
  });

  it('a meter that cannot save is logged and the others are still saved; concurrent flushes join', async () => {
    const { list, flushes } = meters('/var/lib/sm', new Set([1]));
    const logger = recordingLogger();
    const flush = new StateFlush(list, logger);
    const first = flush.flush();
    expect(flush.flush()).toBe(first);
    await first;
    expect(flushes).toEqual([1, 1, 1]);
    expect(logger.errors).toEqual(['meter-2: cannot save state: disk full (retrying every flush; logged once per kind of failure)']);
  });

  it('a meter failing at every flush is logged once per kind of failure, and once when it saves again', async () => {
    const failing = new Set([0]);
    const { list } = meters('/var/lib/sm', failing);
    const logger = recordingLogger();
    const warnings: string[] = [];
    logger.warn = (m) => warnings.push(m);
    const flush = new StateFlush(list, logger);
    for (let i = 0; i < 20; i += 1) await flush.flush();
    expect(logger.errors).toEqual(['meter-1: cannot save state: disk full (retrying every flush; logged once per kind of failure)']);
    failing.clear();
    await flush.flush();
    await flush.flush();
    expect(warnings).toEqual(['meter-1: state saved again after 20 failed attempts']);
  });
});
