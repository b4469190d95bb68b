/**
 * Parse and validate a YAML timeline. Every error names the file, the line of the offending node
 * and the field: "storm.yaml:7: steps[1].sag.depth: must be < 1".
 * Steps come back sorted by time (stable: steps at the same time keep their order in the file).
 */
import { formatProblem, type SourceProblem } from '../../common/source-problem.js';
import { parseYaml, schemaIssues } from '../../common/yaml-document.js';
import { ControlError } from '../control-error.js';
import { timelineSchema, toTimelineStep, type TimelineStep } from './timeline-schema.js';

export class TimelineError extends Error {
  constructor(readonly problems: readonly SourceProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'TimelineError';
  }
}

export interface Timeline {
  steps: TimelineStep[];
  /** Default target meter from the file header, if any. */
  meter: string | undefined;
}

export function parseTimeline(text: string, fileName = 'timeline'): Timeline {
  const yaml = parseYaml(text, fileName);
  if (!yaml.ok) throw new TimelineError(yaml.problems);
  const document = yaml.document;
  const value = document.value;
  if (value === null || value === undefined) throw new TimelineError([{ file: fileName, line: 0, field: '', message: 'the timeline is empty' }]);
  const parsed = timelineSchema.safeParse(value);
  if (!parsed.success) {
    // Report the issue of the branch the document resembles (a list or an object with steps).
    const issues = parsed.error.issues.flatMap((issue) =>
      issue.code === 'invalid_union'
        ? (issue.errors[Array.isArray(value) ? 0 : 1] ?? []).map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }))
        : [issue],
    );
    throw new TimelineError(schemaIssues(issues, value).map((issue) => document.problemAt(issue.path, issue.message)));
  }
  const data = parsed.data;
  const rawSteps = Array.isArray(data) ? data : data.steps;
  const defaultMeter = Array.isArray(data) ? undefined : data.meter;
  const prefix: (string | number)[] = Array.isArray(data) ? [] : ['steps'];
  const steps: TimelineStep[] = [];
  const problems: SourceProblem[] = [];
  rawSteps.forEach((raw, index) => {
    const stepPath = [...prefix, index];
    const { step, issues } = toTimelineStep(raw, defaultMeter, document.lineOf(stepPath));
    for (const issue of issues) problems.push(document.problemAt([...stepPath, ...issue.path], issue.message));
    if (step !== undefined) steps.push(step);
  });
  if (problems.length > 0) throw new TimelineError(problems);
  steps.sort((a, b) => a.atMs - b.atMs);
  return { steps, meter: defaultMeter };
}

/** A timeline's steps as the control API takes them: a file that does not parse is a 400 naming its lines. */
export function timelineStepsForControl(text: string, fileName: string): TimelineStep[] {
  try {
    return parseTimeline(text, fileName).steps;
  } catch (error) {
    if (error instanceof TimelineError) throw new ControlError(400, error.message);
    throw error;
  }
}
