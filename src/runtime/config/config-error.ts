/** Problems found in a panel config file, each naming the file, the line and the field. */
import { SpecError } from '../runtime-error.js';

export interface ConfigProblem {
  file: string;
  /** 1-based line; 0 when unknown. */
  line: number;
  /** Dotted path of the field ("meters.incomer.profile"); empty for the whole file. */
  field: string;
  message: string;
}

export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
  return problem.field === '' ? `${where}: ${problem.message}` : `${where}: ${problem.field}: ${problem.message}`;
}

export class ConfigError extends SpecError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const first = problems[0];
    const head = first === undefined ? 'invalid config' : formatConfigProblem(first);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super(head + more);
    this.name = 'ConfigError';
  }

  /** Every problem, one per line (printed at --log-level debug or by library users). */
  describe(): string {
    return this.problems.map(formatConfigProblem).join('\n');
  }
}
