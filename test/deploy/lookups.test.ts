/**
 * The lookups overlay (deploy/overlays/lookups, deploy/components/lookups): the warn overlay plus
 * get/list/watch on exactly the kinds src/server/lookups.ts watches, bound to the webhook's
 * ServiceAccount, and the --lookups flag on the server. Never Secrets or ConfigMaps.
 */
import t from 'tap';
import { WATCHED_RESOURCES } from '../../src/server/lookups.js';
import { findKubectlProblem, findObject, renderKustomization, webhooksOf, type K8sObject } from './kustomize-helpers.js';

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }

const kubectlProblem = await findKubectlProblem();
if (kubectlProblem) t.plan(0, kubectlProblem);
else {
  const objects = await renderKustomization('deploy/overlays/lookups');
  const warn = await renderKustomization('deploy/overlays/warn');

  t.test('the ClusterRole grants get/list/watch on every watched kind and nothing more', async (t) => {
    const role = findObject(objects, 'ClusterRole', 'vllm-guard-lookups') as K8sObject & { rules: Rule[] };
    const granted = role.rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))).sort();
    t.same(granted, WATCHED_RESOURCES.map((w) => `${w.group}/${w.plural}`).sort());
    for (const rule of role.rules) t.same(rule.verbs, ['get', 'list', 'watch']);
    t.notOk(granted.some((g) => g.endsWith('/secrets') || g.endsWith('/configmaps')), 'no Secrets, no ConfigMaps');
    const binding = findObject(objects, 'ClusterRoleBinding', 'vllm-guard-lookups') as K8sObject & { subjects: { kind: string; name: string; namespace: string }[] };
    t.same(binding.subjects, [{ kind: 'ServiceAccount', name: 'vllm-guard', namespace: 'vllm-guard' }]);
  });

  t.test('the server runs with --lookups; the rest is the warn overlay', async (t) => {
    const args = (d: K8sObject[]) => (findObject(d, 'Deployment', 'vllm-guard') as K8sObject & { spec: { template: { spec: { containers: { args: string[] }[] } } } }).spec.template.spec.containers[0]?.args ?? [];
    t.same(args(objects), [...args(warn), '--lookups']);
    const names = (d: K8sObject[]) => d.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    t.same(names(objects), [...names(warn), 'ClusterRole/vllm-guard-lookups', 'ClusterRoleBinding/vllm-guard-lookups'].sort());
  });

  t.test('one autoscaler webhook per mode path reviews HPAs and ScaledObjects; the base has none', async (t) => {
    const base = webhooksOf(warn);
    const added = webhooksOf(objects).filter((w) => !base.some((b) => b.name === w.name));
    t.same(added.map((w) => [w.name, w.clientConfig.service.path, w.failurePolicy]).sort(), [
      ['autoscalers.audit.vllm-guard.io', '/validate/audit', 'Ignore'],
      ['autoscalers.default.vllm-guard.io', '/validate', 'Ignore'],
      ['autoscalers.enforce.vllm-guard.io', '/validate/enforce', 'Ignore'],
      ['autoscalers.warn.vllm-guard.io', '/validate/warn', 'Ignore'],
    ]);
    for (const webhook of added) {
      t.same(webhook.rules, [
        { apiGroups: ['autoscaling'], apiVersions: ['v2'], resources: ['horizontalpodautoscalers'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' },
        { apiGroups: ['keda.sh'], apiVersions: ['v1alpha1'], resources: ['scaledobjects'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' },
      ], `${webhook.name} rules`);
      const twin = base.find((b) => `autoscalers.${b.name}` === webhook.name);
      t.same(webhook.namespaceSelector, twin?.namespaceSelector, `${webhook.name} selects the namespaces ${twin?.name ?? '?'} does`);
      t.same(webhook.clientConfig.service, twin?.clientConfig.service, `${webhook.name} calls the same Service`);
    }
    const autoscalerRule = (w: { rules: { resources: string[] }[] }) => w.rules.some((r) => r.resources.includes('horizontalpodautoscalers') || r.resources.includes('scaledobjects'));
    t.notOk(base.some(autoscalerRule), 'without lookups no webhook sees autoscalers');
    t.same(webhooksOf(objects).filter((w) => !w.name.startsWith('autoscalers.')), base, 'the vLLM webhooks are unchanged');
  });
}
