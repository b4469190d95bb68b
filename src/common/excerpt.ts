/**
 * A short, safe quotation of untrusted text for a message: at most `maxChars` characters, control
 * characters escaped, and the length said when it was cut, so an error never carries a 50 MB
 * string or the contents of a file it was not meant to show.
 */
export function excerpt(text: string, maxChars = 40): string {
  const cut = text.length > maxChars;
  const quoted = JSON.stringify(cut ? text.slice(0, maxChars) : text);
  return cut ? `${quoted.slice(0, -1)}..." (${text.length} characters)` : quoted;
}

/** A message cut to `maxChars` (a last line of defence where messages are formatted). */
export function boundedMessage(message: string, maxChars = 500): string {
  if (message.length <= maxChars) return message;
  return `${message.slice(0, maxChars)}... (message cut at ${maxChars} of ${message.length} characters)`;
}

/** The first `shown` names, then "and N more": a list that stays short however many there are. */
export function someNames(names: Iterable<string>, count: number, shown = 5): string {
  const first: string[] = [];
  for (const name of names) {
    if (first.length === shown) break;
    first.push(name.length > 40 ? excerpt(name) : name);
  }
  return count > shown ? `${first.join(', ')} and ${count - shown} more` : first.join(', ');
}

/** `text` itself when short, else its first `maxChars` characters and "... (N characters)"; control characters become spaces. */
export function shortText(text: string, maxChars = 40): string {
  const head = (text.length > maxChars ? text.slice(0, maxChars) : text).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return text.length > maxChars ? `${head}... (${text.length} characters)` : head;
}
