/**
 * One HTTPS agent per cluster and TLS material instead of one per request. @kubernetes/client-node
 * 1.x builds a new https.Agent (and so a new TLS connection and SecureContext, parsed CA included)
 * for every API call (KubeConfig.createAgent, config.js). Writing 2,000 PolicyReports made 4,001
 * of them: 1.9 GB peak RSS (native TLS memory that the GC does not see) and a handshake per call.
 * The reused agent keeps connections alive; a change of server, proxy or credentials (an exec
 * plugin rotating its client certificate) makes a new one.
 * @module
 */
import type { Agent } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

type CreateAgent = (cluster: unknown, agentOptions: Record<string, unknown>) => Agent;

const REUSED_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/**
 * Wraps the config's private createAgent (client-node 1.x) to reuse the last agent while its inputs
 * are the same; does nothing when a client version has no such method.
 */
export function reuseAgents(config: KubeConfig): void {
  const target = config as unknown as { createAgent?: CreateAgent };
  const original = target.createAgent;
  if (typeof original !== 'function') return;
  let last: { server: unknown; proxy: unknown; options: unknown[]; agent: Agent } | null = null;
  target.createAgent = (cluster, agentOptions) => {
    const c = (cluster ?? {}) as { server?: unknown; proxyUrl?: unknown };
    const options = REUSED_FIELDS.map((f) => agentOptions[f]);
    if (last && last.server === c.server && last.proxy === c.proxyUrl && options.every((v, i) => sameValue(v, last?.options[i]))) return last.agent;
    const agent = original.call(config, cluster, { ...agentOptions, keepAlive: true });
    last = { server: c.server, proxy: c.proxyUrl, options, agent };
    return agent;
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return a === b;
}
