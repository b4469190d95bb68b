/**
 * Parse and validate a YAML timeline. Every error names the file, the line and column of the
 * offending node, and the field: "storm.yaml:7:12: steps[1].sag.depth: Too big: expected number to be <1".
 * Steps come back sorted by time (stable: steps at the same time keep their order in the file).
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { timelineSchema, toTimelineStep, type TimelineStep } from './timeline-schema.js';

export class TimelineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimelineError';
  }
}

export interface Timeline {
  steps: TimelineStep[];
  /** Default target meter from the file header, if any. */
  meter: string | undefined;
}

export function parseTimeline(text: string, fileName = 'timeline'): Timeline {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const pos = lineCounter.linePos(first.pos[0]);
    throw new TimelineError(`${fileName}:${pos.line}:${pos.col}: ${first.message.split('\n')[0]}`);
  }
  const where = (path: (string | number)[]): string => {
    const pos = positionOf(doc, lineCounter, path);
    return pos === undefined ? fileName : `${fileName}:${pos.line}:${pos.col}`;
  };
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) throw new TimelineError(`${fileName}: the timeline is empty`);
  const parsed = timelineSchema.safeParse(value);
  if (!parsed.success) {
    // Report the issue of the branch the document resembles (a list or an object with steps).
    const issues = parsed.error.issues.flatMap((issue) =>
      issue.code === 'invalid_union'
        ? (issue.errors[Array.isArray(value) ? 0 : 1] ?? []).map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }))
        : [issue],
    );
    const messages = issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      return `${where(path)}: ${formatPath(path)}: ${issue.message}`;
    });
    throw new TimelineError(messages.join('\n'));
  }
  const data = parsed.data;
  const rawSteps = Array.isArray(data) ? data : data.steps;
  const defaultMeter = Array.isArray(data) ? undefined : data.meter;
  const prefix: (string | number)[] = Array.isArray(data) ? [] : ['steps'];
  const steps: TimelineStep[] = [];
  const messages: string[] = [];
  rawSteps.forEach((raw, index) => {
    const stepPath = [...prefix, index];
    const line = positionOf(doc, lineCounter, stepPath)?.line ?? 0;
    const { step, issues } = toTimelineStep(raw, defaultMeter, line);
    for (const issue of issues) {
      const path = [...stepPath, ...issue.path];
      messages.push(`${where(path)}: ${formatPath(path)}: ${issue.message}`);
    }
    if (step !== undefined) steps.push(step);
  });
  if (messages.length > 0) throw new TimelineError(messages.join('\n'));
  steps.sort((a, b) => a.atMs - b.atMs);
  return { steps, meter: defaultMeter };
}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((text, p) => (typeof p === 'number' ? `${text}[${p}]` : text === '' ? p : `${text}.${p}`), '') || '(top)';
}

/** Line and column of the deepest node that exists along `path`. */
function positionOf(doc: Document, lineCounter: LineCounter, path: (string | number)[]): { line: number; col: number } | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return lineCounter.linePos(node.range[0]);
  }
  return undefined;
}
