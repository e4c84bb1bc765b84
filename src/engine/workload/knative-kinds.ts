/**
 * Serving kinds of Knative Serving (Service, Configuration, Revision), entries of SERVING_KINDS
 * (serving-kinds.ts), with the API types they follow.
 * @module
 */
import type { ServingKind } from './serving-kind-types.js';

/**
 * Knative Serving: a Service makes a Configuration, which makes a Revision per template change, which
 * makes a Deployment (all by the knative-serving controller). The user writes the Service (or a
 * Configuration); the controller-made children are judged at it (knowledge/controllers.ts).
 */
const KNATIVE_SOURCE =
  'knative/serving pkg/apis/serving/v1 (ServiceSpec inlines ConfigurationSpec {Template RevisionTemplateSpec}; RevisionSpec inlines corev1.PodSpec); pkg/reconciler/revision/resources/deploy.go (the Deployment of a Revision)';
export const KNATIVE_KINDS: readonly ServingKind[] = [
  { kind: 'Service', group: 'serving.knative.dev', versions: ['v1'], resource: 'services', namespaced: true, templates: [{ path: 'spec.template', holds: 'template', role: 'pod' }], source: KNATIVE_SOURCE },
  { kind: 'Configuration', group: 'serving.knative.dev', versions: ['v1'], resource: 'configurations', namespaced: true, templates: [{ path: 'spec.template', holds: 'template', role: 'pod' }], source: KNATIVE_SOURCE },
  {
    kind: 'Revision',
    group: 'serving.knative.dev',
    versions: ['v1'],
    resource: 'revisions',
    namespaced: true,
    // The Revision's own labels and annotations go on its pods (pkg/reconciler/revision/resources/meta.go makeLabels, makeAnnotations).
    templates: [{ path: 'spec', holds: 'podSpec', role: 'pod', metadataFrom: 'metadata' }],
    source: KNATIVE_SOURCE,
    notes: 'written by the controller from its Configuration; reviewed when a person writes one',
  },
];
