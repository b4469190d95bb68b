/**
 * End to end on the meter clock: a YAML timeline posted to the control API puts a 200 ms sag on
 * L2 and later drops one Modbus answer. The sag shows in L2's RMS (meter snapshot through the
 * API, and the SDM630 registers read by modbus-serial over TCP), in the event log with its
 * duration, and nowhere else; the drop is a client timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlClient, type ControlClient, type ControlResponse } from '../../../src/control/http/control-client.js';
import { startControlServer, type ControlServer } from '../../../src/control/http/control-server.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { loadRegisterMap } from '../../../src/registers/profiles.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { oneMeterFaultController } from '../../support/one-meter-fault-controller.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';

const T0 = 1_700_000_000_000;
const WINDOW_MS = 200;

describe('a timeline sag on L2 and a dropped answer, end to end', () => {
  const { clock, meter, policy, controller } = oneMeterFaultController(T0, 'tcp:test');
  const device = new RegisterMapDevice(loadRegisterMap('sdm630'), meter, { now: () => clock.nowMs() });
  const modbus = new ModbusTcpServer({ router: device, faults: policy.forEndpoint('tcp:test', mbapFraming) });
  const client = new ModbusRTU();
  let control: ControlServer;
  let api: ControlClient;

  /** One meter tick: due timeline steps first, then the window starting now, then the register image. */
  const tick = (): void => {
    controller.tick();
    meter.tick(clock.nowMs());
    device.refresh();
  };
  const advanceTo = (offsetMs: number): void => {
    while (clock.nowMs() < T0 + offsetMs) {
      clock.advance(WINDOW_MS);
      tick();
    }
  };
  const voltagesFromRegisters = async (): Promise<number[]> => {
    const { buffer } = await client.readInputRegisters(0, 6);
    return [0, 4, 8].map((offset) => buffer.readFloatBE(offset));
  };
  const snapshot = async (): Promise<ControlResponse<'snapshot'>['snapshot']> => (await api.snapshot({ params: { id: 'm1' } })).snapshot;

  beforeAll(async () => {
    tick();
    const { port } = await modbus.listen(0);
    await client.connectTCP('127.0.0.1', { port });
    client.setID(1);
    client.setTimeout(300);
    control = await startControlServer(controller, { port: 0 });
    api = createControlClient({ url: control.url });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await modbus.close();
    await control.close();
    controller.close();
  });

  it('plays the timeline: sag in L2 only, logged with its duration; then one dropped answer', async () => {
    const eventsBefore = meter.snapshot().eventCount;
    const started = await api.startTimeline({
      query: { name: 'storm.yaml' },
      body: '- at: 1s\n  meter: m1\n  sag: {phase: 2, depth: 0.5, duration: 200ms}\n- at: 2s\n  drop: {responses: 1}\n',
    });
    expect(started).toMatchObject({ total: 2, startMs: T0 });

    advanceTo(800);
    expect((await snapshot()).measurement.phases.map((p) => p.voltageRms)).toEqual([230, 230, 230].map((v) => expect.closeTo(v, 6)));

    advanceTo(1000);
    const during = await snapshot();
    expect(during.measurement.phases[0].voltageRms).toBeCloseTo(230, 6);
    expect(during.measurement.phases[1].voltageRms).toBeCloseTo(115, 6);
    expect(during.measurement.phases[2].voltageRms).toBeCloseTo(230, 6);
    // constant-impedance load: L2 draws half the current at half the voltage; L1 and L3 unchanged
    expect(during.measurement.phases.map((p) => p.activePower)).toEqual([2300, 575, 2300].map((w) => expect.closeTo(w, 4)));
    expect(during.measurement.lineVoltages[2]).toBeCloseTo(230 * Math.sqrt(3), 4); // L3-L1 untouched
    const registers = await voltagesFromRegisters();
    expect(registers[0]).toBeCloseTo(230, 3);
    expect(registers[1]).toBeCloseTo(115, 3);
    expect(registers[2]).toBeCloseTo(230, 3);
    expect((await api.listScenarios({ params: { id: 'm1' } })).scenarios).toHaveLength(1);

    advanceTo(1200);
    expect((await voltagesFromRegisters()).map((v) => Math.round(v * 1000) / 1000)).toEqual([230, 230, 230]);
    const { events } = await api.events({ params: { id: 'm1' }, query: { count: 10 } });
    expect(meter.snapshot().eventCount - eventsBefore).toBe(1);
    expect(events[0]).toMatchObject({ kind: 'sag', phase: 2, startMs: T0 + 1000, endMs: T0 + 1200 });
    expect(events[0].endMs - events[0].startMs).toBe(200);
    expect(events[0].extremeValue).toBeCloseTo(115, 6);
    expect((await api.listScenarios({ params: { id: 'm1' } })).scenarios).toHaveLength(0);

    advanceTo(2000);
    await expect(client.readInputRegisters(0, 2)).rejects.toMatchObject({ errno: 'ETIMEDOUT' });
    expect((await voltagesFromRegisters()).map((v) => Math.round(v))).toEqual([230, 230, 230]);
    const status = await api.timelineStatus();
    expect(status).toMatchObject({ running: false, applied: 2 });
    expect(status.history.map((h) => [h.line, h.ok])).toEqual([
      [1, true],
      [4, true],
    ]);
  });

  it('raises and clears cover open through the API, logged by the meter', async () => {
    const { scenario } = await api.beginScenario({ params: { id: 'm1' }, body: { kind: 'cover-open' } });
    advanceTo(2400);
    expect(meter.eventRecord(0)).toMatchObject({ kind: 'cover-open', phase: 0, startMs: T0 + 2000, endMs: 0 });
    await api.endScenario({ params: { id: 'm1', scenarioId: scenario.id } });
    expect(meter.eventRecord(0)).toMatchObject({ kind: 'cover-open', startMs: T0 + 2000, endMs: T0 + 2400 });
  });
});
