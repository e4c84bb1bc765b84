// What test/cases/knative.test.ts and kubeai.test.ts share: one CREATE AdmissionReview for an object,
// decided by the webhook's handler with the default catalogue in enforce mode, as a given user.
import { decideAdmission } from '../../src/admission/handler.js';
import { parseAdmissionReview } from '../../src/admission/review.js';
import { loadEngine } from '../../src/load-engine.js';

export const loaded = loadEngine({ configFile: null, policiesDir: null, mode: 'enforce' });

/** The resource an AdmissionReview names: its API group, version, kind and plural. */
export interface AdmittedKind {
  group: string;
  version: string;
  kind: string;
  resource: string;
}

/** The handler's answer to a CREATE of `object` (a `kind` in `namespace`) by `username`; throws when the review does not parse. */
export function admit(object: unknown, kind: AdmittedKind, namespace: string, username: string) {
  const parsed = parseAdmissionReview({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: `${kind.kind}-${username}`, kind: { group: kind.group, version: kind.version, kind: kind.kind }, resource: { group: kind.group, version: kind.version, resource: kind.resource }, operation: 'CREATE', namespace, userInfo: { username }, object },
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return decideAdmission(parsed.review.request, { engine: loaded.engine, settings: loaded.config.server });
}
