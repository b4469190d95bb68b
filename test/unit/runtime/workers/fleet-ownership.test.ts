/**
 * Which worker of `serve --workers N` serves what, from the shard function: meters and endpoint
 * names by worker, the meters' panel order, the fault scopes a meter has, and fleet fault ids.
 */
import { describe, expect, it } from 'vitest';
import { panelFromFlags } from '../../../../src/runtime/config/panel-from-flags.js';
import { fleetFaultId, parseFleetFaultId } from '../../../../src/runtime/workers/fleet-fault-ids.js';
import { FleetOwnership } from '../../../../src/runtime/workers/fleet-ownership.js';

describe('FleetOwnership', () => {
  it('gives 5 one-port meters over 2 workers as the shards do: 2 and 3', () => {
    const ownership = new FleetOwnership(panelFromFlags({ count: 5, tcp: '127.0.0.1:7000' }), 2);
    expect(['meter-1', 'meter-2', 'meter-3', 'meter-4', 'meter-5'].map((m) => ownership.workerOfMeter(m))).toEqual([1, 1, 2, 2, 2]);
    expect(ownership.workerOfMeter('meter-6')).toBeUndefined();
    expect(ownership.endpointNames).toEqual(['tcp:127.0.0.1:7000', 'tcp:127.0.0.1:7001', 'tcp:127.0.0.1:7002', 'tcp:127.0.0.1:7003', 'tcp:127.0.0.1:7004']);
    expect(ownership.workerOfEndpoint('tcp:127.0.0.1:7001')).toBe(1);
    expect(ownership.workerOfEndpoint('tcp:127.0.0.1:7002')).toBe(2);
    expect(ownership.workerOfEndpoint('tcp:127.0.0.1:7005')).toBeUndefined();
    expect(ownership.orderOf('meter-4')).toBe(3);
    expect(ownership.faultScopeCount('meter-4')).toBe(1);
  });

  it('counts a meter served on two endpoints of its worker as two fault scopes', () => {
    const spec = panelFromFlags({ count: 4, tcp: '127.0.0.1:7100' });
    const first = spec.endpoints[0];
    if (first === undefined) throw new Error('no endpoint');
    // meter-1 also on an RTU-over-TCP port next to its TCP port: both in worker 1's slice.
    spec.endpoints.splice(1, 0, { kind: 'rtu-over-tcp', host: '127.0.0.1', port: 7200, units: first.units });
    const ownership = new FleetOwnership(spec, 2);
    expect(ownership.endpointNames).toEqual(['tcp:127.0.0.1:7100', 'rtu-tcp:127.0.0.1:7200', 'tcp:127.0.0.1:7101', 'tcp:127.0.0.1:7102', 'tcp:127.0.0.1:7103']);
    expect(ownership.faultScopeCount('meter-1')).toBe(2);
    expect(ownership.faultScopeCount('meter-2')).toBe(1);
    expect(ownership.workerOfEndpoint('rtu-tcp:127.0.0.1:7200')).toBe(1);
  });

  it('names worker w\'s fault f3 w2-f3, and reads it back', () => {
    expect(fleetFaultId(2, 'f3')).toBe('w2-f3');
    expect(parseFleetFaultId('w2-f3')).toEqual({ worker: 2, id: 'f3' });
    expect(parseFleetFaultId('w12-f100')).toEqual({ worker: 12, id: 'f100' });
    expect(parseFleetFaultId('f3')).toBeUndefined();
  });
});
