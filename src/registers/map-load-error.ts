/** A register map that cannot be used: every problem names the file, the line and the field (`registers["U L1"].quantity`). */
import { formatProblem, type SourceProblem } from '../common/source-problem.js';

export type MapProblem = SourceProblem;

export class MapLoadError extends Error {
  constructor(readonly problems: readonly MapProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'MapLoadError';
  }
}
