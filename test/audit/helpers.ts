/** Shared test helpers: an engine from the bundled policies, an in-memory Lister over the fixtures, the CRD schema, the audit CLI in process. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { loadConfig } from '../../src/config/load.js';
import type { Engine } from '../../src/engine/engine.js';
import type { JsonObject } from '../../src/engine/types.js';
import { AUDIT_KINDS, type AuditKind } from '../../src/audit/kinds.js';
import { RELATED_AUDIT_KINDS } from '../../src/audit/related-kinds.js';
import { ListFailure, type ListPage, type Lister, type ListRequest } from '../../src/audit/lister.js';
import { loadPolicies } from '../../src/policy/load.js';
import { createEngine } from '../../src/engine/api.js';
import { run } from '../cli/run.js';
import { createKubeLister } from '../../src/audit/kube-lister.js';
import { loadKubeConfig } from '../../src/audit/kubeconfig.js';
import { scanCluster, type AuditRun } from '../../src/audit/scanner.js';
import { startKubeStandIn, type KubeStandIn, type StandInOptions } from './kube-stand-in.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/audit');

/** The bundled policies with the defaults, or with a config file (path). */
export function loadEngine(configFile: string | null = null): Engine {
  const app = loadConfig(configFile);
  return createEngine({ config: app.engine, policies: loadPolicies(null) });
}

/** Pages per plural, as the fixtures hold them (items without kind, like the API server's lists). */
export function fixturePages(): Map<string, JsonObject[]> {
  const pages = new Map<string, JsonObject[]>();
  for (const file of readdirSync(FIXTURES).filter((f) => /\.page\d+\.json$/.test(f)).sort()) {
    const plural = file.split('.')[0] as string;
    pages.set(plural, [...(pages.get(plural) ?? []), JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as JsonObject]);
  }
  return pages;
}

export interface MemoryLister extends Lister {
  calls: { kind: string; apiVersion: string; request: ListRequest }[];
}

/**
 * An in-memory Lister: pages by continue token; `fail` maps a kind to the failure it throws. As in a
 * cluster, a CRD is served only when the pages hold its plural: discovery lists its group/versions,
 * and a list of one that is not served is a 404. `discovery: false` is a Lister without discovery.
 */
export function memoryLister(pages: Map<string, JsonObject[]>, fail: Record<string, ListFailure> = {}, options: { discovery?: boolean } = {}): MemoryLister {
  const calls: MemoryLister['calls'] = [];
  // A CRD whose plural a kind listed before it (a related kind first, then the workload kinds) uses in
  // another group is paged under its full resource name: Knative's `services.serving.knative.dev`
  // beside the core Services, OME's `clusterservingruntimes.ome.io` beside KServe's.
  const sharesPlural = (kind: AuditKind): boolean => {
    const first = [...RELATED_AUDIT_KINDS.flat(), ...AUDIT_KINDS].find((k) => k.plural === kind.plural);
    return first !== undefined && first.group !== kind.group;
  };
  const keyOf = (kind: AuditKind): string => (kind.optional && sharesPlural(kind) ? kind.resource : kind.plural);
  const served = (kind: AuditKind): boolean => !kind.optional || pages.has(keyOf(kind));
  return {
    calls,
    ...(options.discovery === false ? {} : { servedApiVersions: async () => new Set(['v1', ...AUDIT_KINDS.filter(served).flatMap((k) => k.apiVersions)]) }),
    async list(kind: AuditKind, request: ListRequest): Promise<ListPage> {
      calls.push({ kind: kind.kind, apiVersion: kind.apiVersion, request });
      const failure = fail[kind.kind];
      if (failure) throw failure;
      if (!served(kind)) throw new ListFailure('missing-api', 404, '404 the server could not find the requested resource');
      const list = pages.get(keyOf(kind)) ?? [];
      const index = request.continueToken ? list.findIndex((p) => (p.metadata as JsonObject).continue === request.continueToken) + 1 : 0;
      const page = list[index];
      if (!page) return { items: [] };
      const items = (page.items as JsonObject[])
        .filter((i) => request.namespace === null || (i.metadata as JsonObject).namespace === request.namespace)
        .map((i) => ({ apiVersion: kind.apiVersion, kind: kind.kind, ...i }));
      const next = (page.metadata as JsonObject).continue as string | undefined;
      return { items, ...(next ? { continueToken: next } : {}) };
    },
  };
}

/**
 * The PolicyReport CRD's schema, made strict: the API server prunes unknown fields silently,
 * so a field the CRD does not know would be lost; additionalProperties:false makes that an error here.
 */
export function policyReportValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(FIXTURES, 'policyreport-v1alpha2.schema.json'), 'utf8')) as JsonObject;
  const strict = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const o = node as JsonObject;
    if (o.type === 'object' && o.properties && o.additionalProperties === undefined) o.additionalProperties = false;
    for (const value of Object.values(o)) strict(value);
  };
  strict(schema);
  (schema.properties as JsonObject).metadata = { type: 'object' };
  return new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `vllm-guard audit ARGS` in this process through runCli, wired as dist/cli/main.js wires a
 * process whose streams are pipes and NO_COLOR is set: a second Node start and the engine's
 * compile in a child cost seconds per run and test nothing the in-process run does not.
 */
export async function auditCli(args: string[]): Promise<Run> {
  const { status, stdout, stderr } = await run(['audit', ...args]);
  return { code: status, stdout, stderr };
}

/** The stand-in's kubeconfig, written into `dir`. */
export function kubeconfigFor(standIn: KubeStandIn, dir: string): string {
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, standIn.kubeconfig());
  return file;
}

/** A list for the stand-in's `generated` option, over objects held in the test. */
export const collection = (items: JsonObject[]) => ({ count: items.length, item: (i: number) => items[i] as JsonObject });

/**
 * Scans a stand-in kube-apiserver started with `options` (LeaderWorkerSet not served, as on most
 * clusters) with `engine`, as `vllm-guard audit` does, through a kubeconfig in a temporary directory;
 * the server and the directory go at the test's teardown. Also returns the paths the audit requested.
 */
export async function auditStandIn(t: { teardown(fn: () => unknown): void }, engine: Engine, options: StandInOptions, now: Date): Promise<{ run: AuditRun; paths: string[] }> {
  const standIn = await startKubeStandIn({ missingGroups: ['leaderworkerset.x-k8s.io/v1'], ...options });
  t.teardown(() => standIn.close());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vllm-guard-audit-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, standIn.kubeconfig());
  const run = await scanCluster(engine, createKubeLister(loadKubeConfig({ kubeconfig: file }, false)), { pageSize: 500, now });
  return { run, paths: standIn.requests.map((r) => r.path) };
}
