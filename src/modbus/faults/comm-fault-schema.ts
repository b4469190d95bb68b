/**
 * Validation of communication-fault specs arriving from outside (HTTP control API, timelines,
 * config files). Errors name the field: "count: must be a positive integer".
 */
import { z } from 'zod';
import type { CommFaultSpec } from './comm-fault.js';
import { plainIssueMessage } from '../../common/schema-wording.js';

const unitId = z.number().int().min(0).max(255);
const byteCount = z.number().int().min(1).max(260);

export const commFaultScopeSchema = z
  .object({
    endpoint: z.string().min(1).optional(),
    unitId: unitId.optional(),
    functionCodes: z.array(z.number().int().min(1).max(127)).min(1).optional(),
  })
  .strict();

const lifetime = {
  rate: z.number().gt(0).max(1).optional(),
  count: z.number().int().min(1).optional(),
  durationMs: z.number().gt(0).optional(),
  scope: commFaultScopeSchema.optional(),
};

export const commFaultSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delay'), delayMs: z.number().min(0).max(600_000), jitterMs: z.number().min(0).max(600_000).optional(), ...lifetime }).strict(),
  z.object({ kind: z.literal('no-response'), ...lifetime }).strict(),
  z.object({ kind: z.literal('exception'), code: z.number().int().min(1).max(255), ...lifetime }).strict(),
  z.object({ kind: z.literal('corrupt-crc'), ...lifetime }).strict(),
  z.object({ kind: z.literal('truncate'), bytes: byteCount, ...lifetime }).strict(),
  z.object({ kind: z.literal('extra-bytes'), bytes: byteCount, ...lifetime }).strict(),
  z.object({ kind: z.literal('wrong-unit-id'), unitId: unitId.optional(), ...lifetime }).strict(),
  z.object({ kind: z.literal('wrong-transaction-id'), ...lifetime }).strict(),
  z.object({ kind: z.literal('disconnect'), ...lifetime }).strict(),
]);

/** The kinds, for help texts and the OpenAPI description. */
export const COMM_FAULT_KINDS = [
  'delay',
  'no-response',
  'exception',
  'corrupt-crc',
  'truncate',
  'extra-bytes',
  'wrong-unit-id',
  'wrong-transaction-id',
  'disconnect',
] as const;

/** Validate an untrusted value; throws RangeError naming the offending field. */
export function parseCommFaultSpec(value: unknown): CommFaultSpec {
  const result = commFaultSpecSchema.safeParse(value);
  if (!result.success) {
    throw new RangeError(`invalid communication fault: ${formatIssues(result.error.issues)}`);
  }
  return result.data;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${plainIssueMessage(issue)}` : plainIssueMessage(issue)))
    .join('; ');
}
