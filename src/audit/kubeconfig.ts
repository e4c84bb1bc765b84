/**
 * Where the audit's credentials come from: --kubeconfig, else the in-cluster service account,
 * else the default kubeconfig ($KUBECONFIG, ~/.kube/config). No usable one is a clear error.
 * @module
 */
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { reuseAgents } from './agent-reuse.js';
import { AppError, describeError } from '../errors.js';

export interface KubeConfigOptions {
  kubeconfig?: string;
  context?: string;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function load(options: KubeConfigOptions, config: KubeConfig, inCluster: boolean): void {
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) throw new AppError('ERR_KUBE', `${options.kubeconfig}: no such kubeconfig file`);
    config.loadFromFile(options.kubeconfig);
  } else if (inCluster && options.context === undefined) {
    config.loadFromCluster();
  } else {
    config.loadFromDefault();
    // With nothing to load, the client quietly falls back to http://localhost:8080: say so instead.
    const [only] = config.getClusters();
    if (config.getClusters().length === 1 && only?.name === 'cluster' && only.server === 'http://localhost:8080') {
      config.clusters = [];
      config.contexts = [];
    }
  }
}

/**
 * Why no cluster was picked. A kubeconfig that was read (given with --kubeconfig, or found by
 * default with contexts in it) names its current context and the contexts it has, so "pass
 * --kubeconfig" is said only when there was none to read.
 */
function noClusterMessage(options: KubeConfigOptions, config: KubeConfig): string {
  const contexts = config.getContexts().map((c) => c.name);
  if (options.kubeconfig === undefined && contexts.length === 0) {
    return 'no Kubernetes cluster configured: pass --kubeconfig FILE (and --context NAME), set KUBECONFIG, or run inside a pod with a service account';
  }
  const source = options.kubeconfig ?? 'the kubeconfig';
  const current = config.getCurrentContext();
  const which = current ? `its current context ${current} names no cluster it defines` : 'it sets no current-context';
  const known = contexts.length ? `pass --context NAME (it has: ${contexts.join(', ')})` : 'it has no contexts';
  return `no Kubernetes cluster in ${source}: ${which}; ${known}`;
}

/** `inCluster` is injectable so tests do not depend on the machine they run on. */
export function loadKubeConfig(options: KubeConfigOptions, inCluster = existsSync(SERVICE_ACCOUNT_TOKEN)): KubeConfig {
  const config = new KubeConfig();
  try {
    load(options, config, inCluster);
  } catch (err: unknown) {
    if (err instanceof AppError) throw err;
    throw new AppError('ERR_KUBE', `cannot read the kubeconfig: ${describeError(err)}`, { cause: err });
  }
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw new AppError('ERR_KUBE', `no context ${options.context} in the kubeconfig${known.length ? ` (it has: ${known.join(', ')})` : ''}`);
    }
    config.setCurrentContext(options.context);
  }
  if (!config.getCurrentCluster()) throw new AppError('ERR_KUBE', noClusterMessage(options, config));
  reuseAgents(config);
  return config;
}
