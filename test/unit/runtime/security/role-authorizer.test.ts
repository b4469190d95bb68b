/** The role table over the titan and sdm630 maps: built-in roles, a configured role with a register range for one profile. */
import { describe, expect, it } from 'vitest';
import { loadRegisterMap } from '../../../../src/registers/profiles.js';
import { writeTargets } from '../../../../src/registers/write-targets.js';
import { RoleAuthorizer, type UnitWriteTargets } from '../../../../src/runtime/security/role-authorizer.js';
import { builtInRoles, type RoleRights } from '../../../../src/runtime/security/role-table.js';
import { parsePanelConfig } from '../../../../src/runtime/config/load-panel-config.js';

const titan: UnitWriteTargets = { profile: 'titan', targets: writeTargets(loadRegisterMap('titan')) };
const sdm630: UnitWriteTargets = { profile: 'sdm630', targets: writeTargets(loadRegisterMap('sdm630')) };
const units = new Map([
  [1, titan],
  [2, sdm630],
]);
const allows = (rights: RoleRights | undefined, unit: number, pdu: number[]): boolean => {
  if (rights === undefined) throw new Error('no such role');
  return new RoleAuthorizer(rights, units).allows(unit, Uint8Array.from([0xaa, ...pdu]), 1, pdu.length);
};

describe('role authorizer', () => {
  it('reader: reads and FC43 only', () => {
    expect(allows(builtInRoles.reader, 1, [3, 0, 0, 0, 10])).toBe(true);
    expect(allows(builtInRoles.reader, 1, [0x2b, 0x0e, 1, 0])).toBe(true);
    expect(allows(builtInRoles.reader, 1, [6, 0, 0x0b, 0, 60])).toBe(false);
    expect(allows(builtInRoles.reader, 1, [8, 0, 0, 0, 0])).toBe(false);
  });

  it('operator: settings, unlock and record selection on each map, never a command', () => {
    const operator = builtInRoles.operator;
    expect(allows(operator, 1, [0x10, 0, 1, 0, 2, 4, 0, 0, 0, 0])).toBe(true); // titan CT ratio (f32, 2 registers)
    expect(allows(operator, 1, [6, 1, 0, 0, 3])).toBe(true); // titan event record select
    expect(allows(operator, 1, [6, 0, 0x21, 0, 1])).toBe(false); // titan reset energy
    expect(allows(operator, 2, [0x10, 0, 0x20, 0, 2, 4, 0, 0, 0, 0])).toBe(true); // sdm630 CT ratio
    expect(allows(operator, 2, [0x10, 0xf0, 0x10, 0, 1, 2, 0, 0])).toBe(false); // sdm630 reset demand
    expect(allows(operator, 1, [6, 0x30, 0, 0, 1])).toBe(false); // not writable in the map
    expect(allows(operator, 1, [0x17, 0, 0, 0, 1, 0, 0x0b, 0, 1, 2, 0, 60])).toBe(true); // FC23 writing a setting
    expect(allows(operator, 1, [0x17, 0, 0, 0, 1, 0, 0x21, 0, 1, 2, 0, 1])).toBe(false); // FC23 writing a command
  });

  it('admin: every write, mapped or not', () => {
    expect(allows(builtInRoles.admin, 1, [6, 0, 0x21, 0, 1])).toBe(true);
    expect(allows(builtInRoles.admin, 1, [0x0f, 0, 0, 0, 2, 1, 3])).toBe(true);
    expect(allows(builtInRoles.admin, 1, [6, 0x30, 0, 0, 1])).toBe(true);
  });

  it('a configured role: a command by name and a register range on one profile only', () => {
    const spec = parsePanelConfig(
      [
        'meters: { m: { profile: titan } }',
        'roles:',
        '  demand-desk: { functions: [3, 4, 6], writes: [resetDemand], ranges: [{ profile: titan, space: holding, first: 0x22, last: 0x22 }] }',
        'endpoints:',
        '  - { tls: 127.0.0.1, cert: s.pem, key: s.key, ca: ca.pem, defaultRole: demand-desk, meters: [m] }',
      ].join('\n'),
      '/tmp/panel.yaml',
    );
    const endpoint = spec.endpoints[0];
    expect(endpoint?.kind === 'tls' && [endpoint.port, endpoint.defaultRole, endpoint.credentials.caFile]).toEqual([802, 'demand-desk', '/tmp/ca.pem']);
    const desk = spec.roles?.['demand-desk'];
    expect(allows(desk, 1, [6, 0, 0x20, 0, 1])).toBe(true); // titan reset demand, by name
    expect(allows(desk, 1, [6, 0, 0x22, 0, 0])).toBe(true); // titan relay, by range
    expect(allows(desk, 2, [6, 0, 0x22, 0, 0])).toBe(false); // the range is titan's only
    expect(allows(desk, 1, [6, 0, 0x21, 0, 1])).toBe(false); // reset energy
    expect(allows(desk, 1, [0x10, 0, 0x20, 0, 1, 2, 0, 1])).toBe(false); // FC16 is not among its functions
  });

  it('a default role not in the table is a config error with its line', () => {
    expect(() =>
      parsePanelConfig('meters: { m: null }\nendpoints:\n  - { tls: "127.0.0.1:8802", cert: a, key: b, ca: c, defaultRole: root, meters: [m] }\n', 'p.yaml'),
    ).toThrow(/p\.yaml:3: .*no role named "root"/);
  });
});
