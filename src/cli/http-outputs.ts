/**
 * The outputs `serve --control` (alias `--http`) mounts on the runtime's HTTP server, next to the
 * control API: /metrics (Prometheus), /healthz and the dashboard at /. Each is its own module
 * over the running panel; this is the one place that knows all of them.
 */
import type { ControlServer } from '../control/http/control-server.js';
import { dashboardPages } from '../dashboard/dashboard-pages.js';
import { healthPage } from '../metrics/health-page.js';
import { metricsPage } from '../metrics/metrics-page.js';
import type { PanelMetricsOptions } from '../metrics/panel-metrics.js';
import type { Panel } from '../runtime/panel.js';

/** Mounts the outputs; returns what unmounts them (and stops the dashboard's live stream). */
export function mountHttpOutputs(panel: Panel, server: ControlServer, options: PanelMetricsOptions = {}): () => void {
  const dashboard = dashboardPages(panel);
  const unmounts = [server.mount(metricsPage(panel, options)), server.mount(healthPage(panel)), server.mount(dashboard)];
  return () => {
    for (const unmount of unmounts) unmount();
    dashboard.close();
  };
}
