/**
 * What KServe adds to the pods of an InferenceService component (predictor, transformer): their labels
 * and annotations, and the Service it makes for them. Its own file: KServe's controller rules, read
 * from kserve/kserve pkg/controller/v1beta1/inferenceservice (components/predictor.go, transformer.go,
 * reconcilers/service/service_reconciler.go).
 * @module
 */
import { arrayAt, isObject, mergeStringMapAt, numberAt, objectAt, stringAt, stringMapAt, valueAtPath } from '../util/json.js';
import type { PodTemplate } from '../types.js';

/** The KServe components whose pods take the InferenceService's labels, and the `component` label each gets. */
const KSERVE_COMPONENTS: Readonly<Record<string, string>> = { 'spec.predictor': 'predictor', 'spec.transformer': 'transformer' };

/** KServe's target port when the container declares none (constants.InferenceServiceDefaultHttpPort; Knative's DefaultUserPort too). */
export const KSERVE_DEFAULT_PORT = 8080;
/** The container KServe's Service targets in a transformer pod when it has one (constants.TransformerContainerName). */
export const TRANSFORMER_CONTAINER = 'transformer-container';
const KSERVE = 'KServe';

/** The first containerPort a container declares, or null. */
export function firstPort(container: unknown): number | null {
  const first = arrayAt(container, 'ports')[0];
  return first === undefined ? null : (numberAt(first, 'containerPort') ?? null);
}

/**
 * The name of the port KServe's component Service gives the first port (createDefaultSvc): the first
 * container port's name (null when it has none), or the component's name (`<name>-predictor`) when the
 * container declares no port.
 */
export function servicePortName(container: unknown, serviceName: string): string | null {
  const first = arrayAt(container, 'ports')[0];
  return first === undefined ? serviceName : (stringAt(first, 'name') ?? null);
}

/**
 * The port KServe's component Service targets: in RawDeployment the first port of the first container
 * (the transformer container in a transformer pod), else 8080 (service_reconciler.go createDefaultSvc); in
 * Serverless mode Knative's route, the first port of the container that writes one, else 8080. Null with
 * the reason when the object does not say: a `model` merged with its ServingRuntime (the runtime writes the
 * ports), a batcher or logger (KServe's agent takes the requests first), or modes that would disagree.
 */
function componentServicePort(template: PodTemplate, object: unknown, serviceName: string): { port: number | null; portName?: string | null; unknown?: string; fromMergedContainer?: true } {
  const component = valueAtPath(object, template.path);
  if (isObject(component) && (component.batcher !== undefined || component.logger !== undefined)) {
    return { port: null, unknown: `${template.path} has a batcher or logger: KServe's agent receives the requests and forwards them` };
  }
  if ((template.mergedContainers ?? []).length > 0) return { port: null, unknown: `${template.path}.model takes its ports from the ServingRuntime`, fromMergedContainer: true };
  const containers = arrayAt(template.spec, 'containers');
  const target = containers.find((c) => stringAt(c, 'name') === TRANSFORMER_CONTAINER) ?? containers[0];
  const raw = firstPort(target) ?? KSERVE_DEFAULT_PORT;
  const written = containers.map(firstPort).find((p) => p !== null);
  const knative = written ?? KSERVE_DEFAULT_PORT;
  if (raw !== knative) return { port: null, unknown: `KServe's Service targets containerPort ${raw} in RawDeployment mode and ${knative} in Serverless mode` };
  return { port: raw, portName: servicePortName(target, serviceName) };
}

/**
 * The pod labels of a KServe component: the InferenceService's labels under the component's own
 * (its annotations reach the facts as the workload's), and the labels the controller sets over all (serving.kserve.io/inferenceservice,
 * component) (predictor.go buildObjectMeta, "predictor component > isvc > ServingRuntimePodSpec";
 * transformer.go likewise); the ServingRuntime's pod labels, the lowest, are not read here. And the
 * Service KServe makes for the component (componentServicePort). Mutates `template`.
 */
export function withKServeComponent(template: PodTemplate, object: unknown): void {
  const component = KSERVE_COMPONENTS[template.path];
  if (component === undefined) return;
  const metadata = objectAt(object, 'metadata');
  const name = stringAt(metadata, 'name');
  if (!name) return;
  // The InferenceService's labels under the component's (the same values where both write one), then
  // KServe's. template.metadata stays what the component writes: a change to the InferenceService's own
  // labels or annotations (kubectl label, last-applied-configuration) is not a change of the pod template
  // (admission/update.ts), and its annotations reach the facts as the workload's (facts/workload.ts).
  template.controllerLabels = { ...mergeStringMapAt(stringMapAt(metadata, 'labels'), template.metadata, 'labels'), 'serving.kserve.io/inferenceservice': name, component };
  // constants.PredictorServiceName / TransformerServiceName: <name>-predictor, <name>-transformer. The
  // Service's metadata is the component's, labels included (createDefaultSvc: ObjectMeta: componentMeta).
  const serviceName = `${name}-${component}`;
  template.controllerService = { by: KSERVE, name: serviceName, carriesPodLabels: true, ...componentServicePort(template, object, serviceName) };
}
