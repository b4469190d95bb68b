/** Hostile input files for tests: an alias bomb ("billion laughs"), a huge string, a big panel config. */

/** Nine levels of nine aliases each: 9^7 strings if expanded; line 2 holds the first alias. */
export function aliasBombYaml(topKey = 'bomb'): string {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  const names = 'abcdefg';
  for (let i = 1; i < names.length; i += 1) {
    const alias = `*${names[i - 1]}`;
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(alias).join(',')}]`);
  }
  lines.push(`${topKey}: *g`);
  return lines.join('\n') + '\n';
}

/**
 * A panel config of `count` meters behind gateways of 247 unit ids each; with `misnamed` every
 * binding names a meter that does not exist (one problem per binding).
 */
export function bigPanelConfig(count: number, misnamed = false): string {
  const lines = ['meters:'];
  for (let i = 0; i < count; i += 1) lines.push(`  m${i}: { serialNumber: ${10_000_000 + i} }`);
  lines.push('endpoints:');
  const perPort = 247;
  for (let e = 0; e * perPort < count; e += 1) {
    lines.push(`  - tcp: 127.0.0.1:${20_000 + e}`, '    gateway: true', '    units:');
    for (let u = 0; u < perPort && e * perPort + u < count; u += 1) lines.push(`      ${u + 1}: ${misnamed ? 'x' : 'm'}${e * perPort + u}`);
  }
  return lines.join('\n') + '\n';
}
