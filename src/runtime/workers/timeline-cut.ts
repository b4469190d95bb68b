/**
 * A timeline of `serve --workers N` cut into one text per worker: each worker plays the steps for
 * its own meters (and the steps for every meter), on its own meter clock, all started at the same
 * moment. The cut keeps line numbers: a step another worker plays becomes blank lines, so a
 * worker's history and messages name the lines of the file the user wrote. That needs the steps
 * as a block list (`- at: ...` each on its own lines); a flow list (`[{...}, {...}]`) is cut only
 * when it does not need to be (every step in one worker).
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { TimelineStep } from '../../control/timeline/timeline-schema.js';

/** Each worker's timeline text, by worker; undefined when the steps cannot be cut apart (a flow list). */
export type TimelineCut = Map<number, string> | undefined;

/** The step list node of a timeline document: the document itself, or its `steps`. */
function stepList(contents: unknown): unknown {
  if (isSeq(contents)) return contents;
  if (isMap(contents)) return contents.get('steps', true);
  return undefined;
}

/**
 * Cuts `text` (already parsed into `steps` by parseTimeline) for the workers that `workersOf`
 * names for each step (a step for every meter: every worker).
 */
export function cutTimeline(text: string, steps: readonly TimelineStep[], workersOf: (step: TimelineStep) => readonly number[]): TimelineCut {
  const workersAtLine = new Map<number, Set<number>>();
  const all = new Set<number>();
  for (const step of steps) {
    const at = workersAtLine.get(step.line) ?? new Set<number>();
    for (const w of workersOf(step)) {
      at.add(w);
      all.add(w);
    }
    workersAtLine.set(step.line, at);
  }
  if (all.size === 1) return new Map([...all].map((w) => [w, text]));
  const lines = new LineCounter();
  const list = stepList(parseDocument(text, { lineCounter: lines }).contents);
  if (!isSeq(list) || list.flow === true) return undefined;
  // Each item: its first and last line (1-based) and the workers that play it.
  const items = (list.items as Node[]).map((item) => {
    const range = item.range ?? [0, 0, 0];
    const first = lines.linePos(range[0]).line;
    const last = lines.linePos(Math.max(range[0], range[1] - 1)).line;
    return { first, last, workers: workersAtLine.get(first) ?? new Set<number>() };
  });
  const sourceLines = text.split('\n');
  const cut = new Map<number, string>();
  for (const w of [...all].sort((a, b) => a - b)) {
    const own = sourceLines.slice();
    for (const item of items) {
      if (item.workers.has(w)) continue;
      for (let line = item.first; line <= item.last; line += 1) own[line - 1] = '';
    }
    cut.set(w, own.join('\n'));
  }
  return cut;
}
