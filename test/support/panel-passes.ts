/** Running panels in tests: their ticker's passes, and stopping them after each test. */
import { EventEmitter, once } from 'node:events';
import { afterEach } from 'vitest';
import type { Panel } from '../../src/runtime/panel.js';

/** Resolves after `count` more passes of the panel's ticker. */
export async function passes(panel: Panel, count: number): Promise<void> {
  const ticked = new EventEmitter();
  const off = panel.on('tick', () => ticked.emit('tick'));
  try {
    for (let i = 0; i < count; i += 1) await once(ticked, 'tick');
  } finally {
    off();
  }
}

/** A list whose panels are stopped after each test of the calling file. */
export function panelsStoppedAfterEach(): Panel[] {
  const panels: Panel[] = [];
  afterEach(async () => {
    for (const panel of panels.splice(0)) await panel.stop();
  });
  return panels;
}
