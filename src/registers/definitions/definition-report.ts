/** A definition check as text: one line per register (ok or what differs), then a summary. */
import type { CheckedRegister } from './definition-check.js';

function shown(value: number | string | undefined): string {
  if (value === undefined) return '-';
  if (typeof value === 'string') return JSON.stringify(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(9).replace(/\.?0+$/, '');
}

export function renderDefinitionCheck(results: readonly CheckedRegister[]): string {
  const lines = results.map((r) => {
    const where = `${r.register.function === 3 ? 'holding' : 'input'} 0x${r.register.address.toString(16).toUpperCase().padStart(4, '0')}`;
    const head = `${r.ok ? 'ok  ' : 'FAIL'} ${where} ${r.register.name}`;
    return r.ok ? `${head}: ${shown(r.actual)}` : `${head}: ${r.problem ?? 'differs'} (read ${shown(r.actual)}, expected ${shown(r.expected)})`;
  });
  const agreeing = results.filter((r) => r.ok).length;
  lines.push(`${agreeing} of ${results.length} registers agree with the definition`);
  return `${lines.join('\n')}\n`;
}
