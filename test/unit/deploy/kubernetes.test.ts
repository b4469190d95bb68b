/**
 * deploy/kubernetes rendered with `kubectl kustomize` (as `kubectl apply -k` would): the
 * invariants that make a sharded fleet whole. replicas x meters per shard = the fleet; the pod
 * ordinal becomes K and replicas N of `--shard K/N`; a headless Service names the pods; every
 * probe hits /healthz on the control API's port; the state directory is a volume per pod; the
 * panel config comes from the ConfigMap; resources are requested.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { skipWithoutTool, toolAvailable } from '../../support/external-tool.js';

const DIR = fileURLToPath(new URL('../../../deploy/kubernetes', import.meta.url));
const available = toolAvailable('kubectl', ['version', '--client']);

type Doc = Record<string, unknown>;

function at(value: unknown, ...path: Array<string | number>): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

function rendered(): Doc[] {
  const text = execFileSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' });
  return parseAllDocuments(text).map((d) => d.toJS() as Doc);
}

describe.skipIf(skipWithoutTool(available))('deploy/kubernetes (kubectl kustomize)', () => {
  const docs = skipWithoutTool(available) ? [] : rendered();
  const byKind = (kind: string): Doc[] => docs.filter((d) => d.kind === kind);
  const set = byKind('StatefulSet')[0];
  const container = at(set, 'spec', 'template', 'spec', 'containers', 0);
  const configMap = byKind('ConfigMap').find((c) => String(at(c, 'metadata', 'name')).startsWith('submeter-fleet'));
  const fleet = (at(configMap, 'data') ?? {}) as Record<string, string>;
  const command = [...((at(container, 'command') as string[]) ?? []), ...((at(container, 'args') as string[]) ?? [])].join(' ');

  it('replicas x meters per shard = the fleet, and N of --shard K/N is the replica count', () => {
    const replicas = Number(at(set, 'spec', 'replicas'));
    const meters = Number(fleet.METERS);
    expect(replicas).toBeGreaterThan(0);
    expect(Number(fleet.SHARDS)).toBe(replicas);
    expect(meters % replicas).toBe(0);
    expect((meters / replicas) * replicas).toBe(meters);
    expect(command).toContain('--count "$METERS"');
    expect(command).toContain('--shard "$((POD_INDEX + 1))/$SHARDS"');
  });

  it('the pod ordinal becomes K (downward API pod-index), one pod per slice started in parallel', () => {
    const env = (at(container, 'env') as Array<{ name: string; valueFrom?: unknown }>) ?? [];
    const index = env.find((e) => e.name === 'POD_INDEX');
    expect(at(index, 'valueFrom', 'fieldRef', 'fieldPath')).toBe("metadata.labels['apps.kubernetes.io/pod-index']");
    expect(at(set, 'spec', 'podManagementPolicy')).toBe('Parallel');
    expect(at(container, 'envFrom', 0, 'configMapRef', 'name')).toBe(at(configMap, 'metadata', 'name'));
  });

  it('a headless Service names the pods', () => {
    const service = byKind('Service').find((s) => at(s, 'metadata', 'name') === at(set, 'spec', 'serviceName'));
    expect(at(service, 'spec', 'clusterIP')).toBe('None');
    const selector = at(service, 'spec', 'selector') as Record<string, string>;
    const labels = at(set, 'spec', 'template', 'metadata', 'labels') as Record<string, string>;
    for (const [key, value] of Object.entries(selector)) expect(labels[key]).toBe(value);
  });

  it('every probe hits /healthz on the control API port', () => {
    const http = ((at(container, 'ports') as Array<{ name: string; containerPort: number }>) ?? []).find((p) => p.name === 'http');
    expect(command).toContain(`--control 0.0.0.0:${http?.containerPort ?? -1}`);
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      expect(at(container, probe, 'httpGet', 'path'), probe).toBe('/healthz');
      expect(at(container, probe, 'httpGet', 'port'), probe).toBe('http');
    }
  });

  it('state on a volume per pod, panel config from the ConfigMap, resources requested', () => {
    const claim = at(set, 'spec', 'volumeClaimTemplates', 0, 'metadata', 'name');
    const mounts = (at(container, 'volumeMounts') as Array<{ name: string; mountPath: string }>) ?? [];
    const state = mounts.find((m) => m.name === claim);
    expect(command).toContain(`--state ${state?.mountPath ?? '?'}`);
    const panel = ((at(set, 'spec', 'template', 'spec', 'volumes') as Array<{ name: string; configMap?: { name: string } }>) ?? []).find((v) => v.configMap !== undefined);
    expect(panel?.configMap?.name).toBe(at(configMap, 'metadata', 'name'));
    expect(fleet['panel.yaml']).toContain('endpoints:');
    expect(at(container, 'resources', 'requests', 'cpu')).toBeDefined();
    expect(at(container, 'resources', 'requests', 'memory')).toBeDefined();
  });
});
