/**
 * The engine's configuration (the config file's `engine` part after loading): mode, vLLM detection,
 * accelerators, secret names, policy overrides, namespaces, waivers and knowledge additions. Its own
 * file: what createEngine takes besides the policies.
 * @module
 */
import type { KnowledgeConfig } from '../knowledge/knowledge.js';
import type { PolicyOverride, Waiver } from './policy.js';
import type { Mode } from './vocabulary.js';

/** Which containers are checked as vLLM servers, besides the built-in signals. */
export interface DetectionConfig {
  /** Regular expressions matched against the image reference. */
  images: string[];
  /** Pods with all these labels are checked as vLLM workloads too. */
  labels: Record<string, string>;
  /** Check every pod with the generic rules, vLLM or not. */
  allPods: boolean;
  /** Image repository pattern → default argv for images whose ENTRYPOINT we know. */
  entrypoints: { image: string; command: string[] }[];
}

/** The config file's engine settings, as createEngine takes them. */
export interface EngineConfig {
  mode: Mode;
  detection: DetectionConfig;
  /** Extended resource names (exact or prefix ending in `*`) that count as accelerators. */
  acceleratorResources: string[];
  /** Env var names whose literal values are secrets (no-literal-secrets reads facts.literalSecretEnv). */
  secretEnv: string[];
  /** Annotation prefix of the Phase-0 intent (license-reviewed, precision, cold-start-seconds, …). */
  intentPrefix: string;
  policies: Record<string, PolicyOverride>;
  namespaces: Record<string, { mode?: Mode }>;
  waivers: Waiver[];
  /** A platform team's additions to the model and GPU catalogues (config key `knowledge`); absent = the bundled ones. */
  knowledge?: KnowledgeConfig;
}
