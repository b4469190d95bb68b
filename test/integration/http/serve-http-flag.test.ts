/** `serve --http` is `--control` by another name; both at once is a usage error (exit 2). */
import { afterAll, describe, expect, it } from 'vitest';
import { killCliChildren, runCli, runCliToEnd } from '../../support/cli-runner.js';

describe('serve --http', () => {
  afterAll(() => killCliChildren());

  it('starts the HTTP server with the dashboard, /metrics and /healthz', async () => {
    const serve = runCli(['serve', '--profile', 'demo', '--tcp', '127.0.0.1:0', '--http', '127.0.0.1:0', '--metrics-meters', '0']);
    try {
      const url = (await serve.waitFor(/control API (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
      await serve.waitFor(/^ready in/m);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/`)).text()).toMatch(/<title>submeter<\/title>/);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^submeter_meters_with_series 0$/m);
    } finally {
      await serve.stop();
    }
  }, 30_000);

  it('refuses --http together with --control', async () => {
    const run = await runCliToEnd(['serve', '--profile', 'demo', '--tcp', '127.0.0.1:0', '--http', '127.0.0.1:0', '--control', '127.0.0.1:0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--http is another name for --control/);
  }, 30_000);
});
