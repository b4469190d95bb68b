/**
 * The dashboard in Debian's chromium, driven by playwright-core (never a downloaded browser),
 * against the real `submeter serve --control`: the fleet page lists the served meters; on a meter
 * page a 50 % sag on L2 clicked in the page shows L2 falling in the page and in the Modbus
 * registers read by modbus-serial at the same time; the harmonic chart of the `office` scenario
 * shows the 5th current harmonic at its configured 10 %; the Content-Security-Policy holds (no
 * violation reported). Screenshots go to docs/img/ (linked from docs/dashboard.md).
 * Skips outside CI when chromium is missing; fails under CI=true.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCliChildren, runCli, type CliRun } from '../support/cli-runner.js';
import { skipWithoutTool } from '../support/external-tool.js';
import { ModbusRTU } from '../support/modbus-serial.js';

const CHROMIUM = '/usr/bin/chromium';
/** docs/img/ when the screenshots are being renewed (SUBMETER_SCREENSHOTS=1), else a scratch folder: a test run leaves the tree as it was. */
const IMAGES = process.env.SUBMETER_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/img/', import.meta.url)) : mkdtempSync(join(tmpdir(), 'submeter-screens-'));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(skipWithoutTool(existsSync(CHROMIUM)))('dashboard in chromium', () => {
  let fleet: CliRun;
  let serve: CliRun;
  let fleetUrl = '';
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  let url = '';
  let modbusPort = 0;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // A fleet of three (each meter its own seed, so loads differ) for the fleet page, and one
    // meter on the office scenario exactly as configured for the meter page.
    fleet = runCli(['serve', '--profile', 'sdm630', '--count', '3', '--gateway', '--tcp', '127.0.0.1:0', '--control', '127.0.0.1:0']);
    fleetUrl = (await fleet.waitFor(/control API (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
    serve = runCli(['serve', '--profile', 'sdm630', '--source', 'synthetic:office', '--tcp', '127.0.0.1:0', '--control', '127.0.0.1:0']);
    modbusPort = Number((await serve.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/))[1]);
    url = (await serve.waitFor(/control API (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
    profileDir = mkdtempSync(join(tmpdir(), 'submeter-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 1000 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await fleet?.stop();
    killCliChildren();
    rmSync(profileDir, { recursive: true, force: true });
  });

  /** L1..L3 voltage from the SDM630 input registers (FC04, floats, high word first). */
  async function modbusVoltages(): Promise<number[]> {
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: modbusPort });
    client.setID(1);
    try {
      const { buffer } = await client.readInputRegisters(0, 6);
      return [0, 1, 2].map((k) => buffer.readFloatBE(k * 4));
    } finally {
      await new Promise<void>((resolve) => client.close(() => resolve()));
    }
  }

  const cellNumber = async (selector: string): Promise<number> => Number(await page.locator(selector).textContent());

  it('lists the served meters on the fleet page, live', async () => {
    await page.goto(`${fleetUrl}/#/`);
    await expect.poll(() => page.locator('#fleet tbody tr').count(), { timeout: 15_000 }).toBe(3);
    const ids = await page.locator('#fleet tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-meter')));
    expect(ids).toEqual(['meter-1', 'meter-2', 'meter-3']);
    expect(await page.locator('#fleet tbody tr').first().textContent()).toMatch(/tcp:127\.0\.0\.1:0 unit 1/);
    await page.locator('#search').fill('meter-2');
    await expect.poll(() => page.locator('#fleet tbody tr').count(), { timeout: 5_000 }).toBe(1);
    await page.locator('#search').fill('');
    await expect.poll(() => page.locator('#fleet tbody tr').count(), { timeout: 5_000 }).toBe(3);
    await page.screenshot({ path: join(IMAGES, 'dashboard-fleet.png') });
  }, 30_000);

  it('a 50 % sag on L2 clicked in the page: L2 falls to 115 V in the page and in the Modbus registers at the same time', async () => {
    await page.goto(`${url}/#/meter/meter`);
    await expect.poll(() => cellNumber('#v-2'), { timeout: 15_000 }).toBeGreaterThan(225);
    expect((await modbusVoltages())[1]).toBeGreaterThan(225);
    await page.locator('#scenario-kind').selectOption('sag');
    await page.locator('#scenario-phase').selectOption('2');
    await page.locator('#scenario-amount').fill('50');
    await page.locator('#scenario-duration').fill('60');
    await page.locator('#scenario-apply').click();
    await expect.poll(() => page.locator('#control-status').textContent(), { timeout: 5_000 }).toMatch(/scenario .* begun/);
    await expect.poll(() => cellNumber('#v-2'), { timeout: 5_000 }).toBeLessThan(120);
    const [pageL1, pageL2, registers] = await Promise.all([cellNumber('#v-1'), cellNumber('#v-2'), modbusVoltages()]);
    expect(pageL2).toBeCloseTo(115, 0);
    expect(pageL1).toBeGreaterThan(225);
    expect(registers[1]).toBeCloseTo(115, 0);
    expect(registers[0]).toBeGreaterThan(225);
    expect(registers[2]).toBeGreaterThan(225);
    await page.screenshot({ path: join(IMAGES, 'dashboard-meter-sag.png'), fullPage: true });
    await page.locator('#scenario-end').click();
    await expect.poll(() => cellNumber('#v-2'), { timeout: 5_000 }).toBeGreaterThan(225);
  }, 40_000);

  it('shows the office 5th current harmonic at its configured 10 % in the harmonic chart', async () => {
    await page.locator('#harmonic-signal').selectOption('i');
    await page.locator('#harmonic-phase').selectOption('0');
    const fifth = page.locator('#harmonics-table tr[data-order="5"] td.num');
    await expect.poll(async () => Number(await fifth.textContent()), { timeout: 5_000 }).toBeGreaterThan(9.5);
    expect(Number(await fifth.textContent())).toBeCloseTo(10, 0);
    expect(Number(await page.locator('#harmonics-table tr[data-order="3"] td.num').textContent())).toBeCloseTo(20, 0);
    await page.locator('#harmonics').screenshot({ path: join(IMAGES, 'dashboard-harmonics.png') });
    expect(cspViolations).toEqual([]);
  }, 20_000);
});
