/**
 * Sparkplug B from a panel (startPanel as `serve --mqtt ... --mqtt-sparkplug G/E` runs it) through
 * a real Mosquitto, decoded by Eclipse Tahu's own payload library: NBIRTH (seq 0, bdSeq, rebirth
 * control), a DBIRTH per meter whose metrics equal the JSON telemetry of the same window, DDATA by
 * alias with seq counting on, NCMD rebirth, DCMD relay, NDEATH with the session's bdSeq on stop.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutTool } from '../../support/external-tool.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from '../../support/mosquitto.js';
import { meterSpec, startMqttPanel, type MqttPanel } from '../../support/mqtt-panel.js';
import { subscribe, type ReceivedMessage, type TestSubscriber } from '../../support/mqtt-subscriber.js';
import { asNumber, tahu, type TahuPayload } from '../../support/sparkplug-tahu.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function decode(message: ReceivedMessage): TahuPayload {
  return tahu.decodePayload(new Uint8Array(message.payload));
}

function metric(payload: TahuPayload, name: string): { value: unknown; type: string; alias?: unknown } {
  const found = payload.metrics?.find((m) => m.name === name);
  if (found === undefined) throw new Error(`no metric ${name}`);
  return found;
}

describe.skipIf(skipWithoutTool(mosquittoAvailable()))('Sparkplug B edge node against Mosquitto, decoded by Eclipse Tahu', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.dispose();
  });

  it('births the node and each meter, sends data by alias with seq counting on, rebirths on NCMD, switches the relay on DCMD, and dies with its bdSeq', async () => {
    const sub: TestSubscriber = await subscribe(broker.url, ['spBv1.0/#', 'sp/+/state']);
    cleanup.push(() => sub.close());
    const run: MqttPanel = await startMqttPanel(
      { url: broker.url, prefix: 'sp', intervalS: 0.2, sparkplug: { groupId: 'Site', edgeNodeId: 'panel-1' } },
      [meterSpec('m1', 1001), meterSpec('m2', 1002)],
    );
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await run.panel.stop();
    });

    const nbirth = decode(await sub.next('spBv1.0/Site/NBIRTH/panel-1'));
    expect(asNumber(nbirth.seq)).toBe(0);
    expect(metric(nbirth, 'bdSeq')).toMatchObject({ type: 'UInt64' });
    const bdSeq = asNumber(metric(nbirth, 'bdSeq').value);
    expect(metric(nbirth, 'Node Control/Rebirth')).toMatchObject({ type: 'Boolean', value: false });

    const dbirthMessage = await sub.next('spBv1.0/Site/DBIRTH/panel-1/m1');
    const dbirth = decode(dbirthMessage);
    expect(asNumber(dbirth.seq)).toBeGreaterThanOrEqual(1);
    expect(metric(dbirth, 'Properties/Serial number')).toMatchObject({ type: 'String', value: '1001' });
    expect(metric(dbirth, 'Properties/Profile')).toMatchObject({ type: 'String', value: 'titan' });
    const voltage = metric(dbirth, 'voltage.l1');
    expect(voltage.type).toBe('Double');
    const voltageAlias = asNumber(voltage.alias);
    const relayAlias = asNumber(metric(dbirth, 'relay.closed').alias);

    // The same window as the JSON telemetry (the meter clock is frozen).
    const state = JSON.parse((await sub.next('sp/m1/state')).text) as Record<string, number>;
    for (const key of ['voltage.l1', 'current.l2', 'power.active.total', 'frequency', 'energy.total.activeImportWh']) {
      expect(metric(dbirth, key).value, key).toBe(state[key]);
    }
    expect(asNumber(dbirth.timestamp)).toBe(state.timeMs);

    const ddataMessage = await sub.next('spBv1.0/Site/DDATA/panel-1/m1');
    const ddata = decode(ddataMessage);
    expect(ddata.metrics?.every((m) => m.name === undefined || m.name === null || m.name === '')).toBe(true);
    const byAlias = new Map((ddata.metrics ?? []).map((m) => [asNumber(m.alias), m.value] as const));
    expect(byAlias.get(voltageAlias)).toBe(state['voltage.l1']);
    expect(byAlias.get(relayAlias)).toBe(1);

    // seq: every NBIRTH/DBIRTH/DDATA of the edge node counts on by one (mod 256).
    const sequence = sub.messages.filter((m) => /^spBv1\.0\/Site\/(NBIRTH|DBIRTH|DDATA)\//.test(m.topic)).map((m) => asNumber(decode(m).seq));
    for (let i = 1; i < sequence.length; i += 1) expect(sequence[i]).toBe(((sequence[i - 1] ?? 0) + 1) % 256);

    // NCMD rebirth: a new NBIRTH (seq 0, same bdSeq) and DBIRTHs.
    const mark = sub.messages.length;
    await sub.publish('spBv1.0/Site/NCMD/panel-1', Buffer.from(tahu.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] })));
    const reborn = decode(await sub.next('spBv1.0/Site/NBIRTH/panel-1', () => true, mark));
    expect(asNumber(reborn.seq)).toBe(0);
    expect(asNumber(metric(reborn, 'bdSeq').value)).toBe(bdSeq);
    await sub.next('spBv1.0/Site/DBIRTH/panel-1/m2', () => true, mark);

    // DCMD: open m2's relay.
    const before = sub.messages.length;
    await sub.publish('spBv1.0/Site/DCMD/panel-1/m2', Buffer.from(tahu.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'relay.closed', type: 'Boolean', value: false }, { name: 'password', type: 'Int32', value: 1234 }] })));
    const opened = await sub.next('spBv1.0/Site/DDATA/panel-1/m2', (m) => (decode(m).metrics ?? []).some((x) => asNumber(x.alias) === relayAlias && x.value === 0), before);
    expect(opened.index).toBeGreaterThan(before);
    expect(run.logger.lines).toContain('info Sparkplug: m2: relay: relay open');

    await run.panel.stop();
    stopped = true;
    const death = decode(await sub.next('spBv1.0/Site/NDEATH/panel-1'));
    expect(asNumber(metric(death, 'bdSeq').value)).toBe(bdSeq);
  });
});
