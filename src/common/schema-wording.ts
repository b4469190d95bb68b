/**
 * The schema library's (zod's) default messages in the words every loader and the control API
 * use: "must be > 0" for "Too small: expected number to be >0", "must be one of ..." for
 * "Invalid option: ...". A schema's own messages are kept as written.
 */
import type { z } from 'zod';

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The schema library's wording ("Too small: expected number to be >0") in the loaders' own words ("must be > 0"). */
export function plainIssueMessage(issue: z.core.$ZodIssue): string {
  // A schema's own message (`.regex(re, 'expected HOST:PORT')`) is kept; only the library's defaults are reworded.
  if (!/^(Too small|Too big|Invalid input|Invalid option|Invalid number)\b/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') return `must have at least ${String(issue.minimum)} ${issue.origin === 'string' ? 'characters' : 'items'}`;
      return `must be ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string' || issue.origin === 'array') return `must have at most ${String(issue.maximum)} ${issue.origin === 'string' ? 'characters' : 'items'}`;
      return `must be ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(shown).join(', ')}`;
    case 'invalid_type':
      return /received undefined$/.test(issue.message) ? 'required field is missing' : issue.message.replace(/^Invalid input: /, '');
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}
