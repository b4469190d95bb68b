/** One poll of a meter: the decoded values, and the blocks that failed. */
import type { DecodedValue } from './read-plan.js';

export interface ReadResult {
  values: DecodedValue[];
  /** Blocks that answered with an exception or did not answer, one message each. */
  errors: Array<{ space: string; address: number; quantity: number; error: string }>;
}
