// Where the audit's credentials come from, and the messages when there are none.
import t from 'tap';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadKubeConfig } from '../../src/audit/kubeconfig.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: staging, cluster: {server: "https://10.0.0.1:6443"}}, {name: prod, cluster: {server: "https://10.0.0.2:6443"}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: staging, context: {cluster: staging, user: u}}, {name: prod, context: {cluster: prod, user: u}}]
current-context: staging
`;

t.test('--kubeconfig and --context pick the cluster', async (t) => {
  const file = path.join(t.testdir({}), 'config');
  writeFileSync(file, KUBECONFIG);
  t.equal(loadKubeConfig({ kubeconfig: file }, false).getCurrentCluster()?.server, 'https://10.0.0.1:6443');
  t.equal(loadKubeConfig({ kubeconfig: file, context: 'prod' }, false).getCurrentCluster()?.server, 'https://10.0.0.2:6443');
  t.throws(() => loadKubeConfig({ kubeconfig: file, context: 'dev' }, false), { code: 'ERR_KUBE', message: 'no context dev in the kubeconfig (it has: staging, prod)' });
  t.throws(() => loadKubeConfig({ kubeconfig: path.join(path.dirname(file), 'nope') }, false), { code: 'ERR_KUBE', message: /nope: no such kubeconfig file/ });
});

t.test('nothing configured: a clear error instead of a silent localhost:8080', async (t) => {
  const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
  t.teardown(() => Object.assign(process.env, saved));
  process.env.HOME = t.testdir({});
  delete process.env.KUBECONFIG;
  t.throws(() => loadKubeConfig({}, false), { code: 'ERR_KUBE', message: /no Kubernetes cluster configured: pass --kubeconfig FILE.*KUBECONFIG.*service account/ });
});

t.test('a broken kubeconfig names the problem', async (t) => {
  const file = path.join(t.testdir({}), 'config');
  writeFileSync(file, 'clusters: [');
  t.throws(() => loadKubeConfig({ kubeconfig: file }, false), { code: 'ERR_KUBE', message: /cannot read the kubeconfig/ });
});

t.test('a kubeconfig that was given but names no usable cluster says what it lacks', async (t) => {
  const dir = t.testdir({});
  const noContext = path.join(dir, 'no-context');
  writeFileSync(noContext, KUBECONFIG.replace('current-context: staging\n', ''));
  t.throws(() => loadKubeConfig({ kubeconfig: noContext }, false), {
    code: 'ERR_KUBE',
    message: `no Kubernetes cluster in ${noContext}: it sets no current-context; pass --context NAME (it has: staging, prod)`,
  });
  const empty = path.join(dir, 'empty');
  writeFileSync(empty, 'apiVersion: v1\nkind: Config\nclusters: []\n');
  t.throws(() => loadKubeConfig({ kubeconfig: empty }, false), { code: 'ERR_KUBE', message: `no Kubernetes cluster in ${empty}: it sets no current-context; it has no contexts` });
  const dangling = path.join(dir, 'dangling');
  writeFileSync(dangling, KUBECONFIG.replace('{cluster: staging, user: u}', '{cluster: gone, user: u}'));
  t.throws(() => loadKubeConfig({ kubeconfig: dangling }, false), {
    code: 'ERR_KUBE',
    message: `no Kubernetes cluster in ${dangling}: its current context staging names no cluster it defines; pass --context NAME (it has: staging, prod)`,
  });
});
