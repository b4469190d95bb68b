/** Reading the JSON a worker answered (unknown until looked at): a field, a list field. */

/** `body[name]` when body is an object, else undefined. */
export function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/** `body[name]` when it is an array, else []. */
export function arrayField(body: unknown, name: string): unknown[] {
  const value = field(body, name);
  return Array.isArray(value) ? (value as unknown[]) : [];
}
