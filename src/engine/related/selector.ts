/**
 * Kubernetes label selectors, the one place they are matched: a LabelSelector (`matchLabels` +
 * `matchExpressions` with In, NotIn, Exists, DoesNotExist; PodDisruptionBudget, NetworkPolicy,
 * ServiceMonitor, PodMonitor) and the plain map of a Service selector. Semantics as in
 * k8s.io/apimachinery pkg/labels (LabelSelectorAsSelector): every requirement must hold; an empty
 * selector matches everything; an unknown operator matches nothing.
 */
import { isObject } from '../util/json.js';

/** Requirements read from one selector; more is not a real manifest, and makes it match nothing. */
const MAX_REQUIREMENTS = 64;

/** `key=value, …` of a label map, for messages ("no Service selects app=qwen"); sorted, at most 8 pairs. */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels).sort().map((k) => `${k}=${labels[k] ?? ''}`);
  return pairs.length > 8 ? `${pairs.slice(0, 8).join(', ')}, …` : pairs.join(', ');
}

/**
 * Whether a plain selector map (a Service's `spec.selector`, an InferencePool's) is a subset of the
 * labels. An absent or empty map selects nothing here: a Service without a selector has its
 * endpoints set by hand, not by pod labels.
 */
export function mapSelects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  const keys = Object.keys(selector);
  if (keys.length === 0 || keys.length > MAX_REQUIREMENTS) return false;
  return keys.every((k) => typeof selector[k] === 'string' && Object.hasOwn(labels, k) && labels[k] === selector[k]);
}

function expressionHolds(expression: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(expression) || typeof expression.key !== 'string') return false;
  const has = Object.hasOwn(labels, expression.key);
  const values = Array.isArray(expression.values) ? expression.values.filter((v): v is string => typeof v === 'string') : [];
  switch (expression.operator) {
    case 'In':
      return has && values.includes(labels[expression.key] ?? '');
    case 'NotIn':
      return !has || !values.includes(labels[expression.key] ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/**
 * Whether a LabelSelector matches the labels. `{}` matches every pod; a selector that is not an
 * object (absent, null) matches none, which is what PodDisruptionBudget (policy/v1) and the
 * Prometheus operator do with a null selector.
 */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  const matchLabels = selector.matchLabels;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const labelKeys = isObject(matchLabels) ? Object.keys(matchLabels) : [];
  if (labelKeys.length + expressions.length > MAX_REQUIREMENTS) return false;
  if (isObject(matchLabels) && !labelKeys.every((k) => Object.hasOwn(labels, k) && labels[k] === matchLabels[k])) return false;
  return expressions.every((e) => expressionHolds(e, labels));
}
