/** Problems found in a panel config file, each naming the file, the line and the field. */
import { SpecError } from '../runtime-error.js';
import { formatProblem, type SourceProblem } from '../../common/source-problem.js';

export type ConfigProblem = SourceProblem;

export class ConfigError extends SpecError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const first = problems[0];
    const head = first === undefined ? 'invalid config' : formatProblem(first);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super(head + more);
    this.name = 'ConfigError';
  }

  /** Every problem, one per line (printed at --log-level debug or by library users). */
  describe(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}
