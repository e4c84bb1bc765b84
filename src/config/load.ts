/** Reads the config file (YAML or JSON) into a frozen AppConfig; the only place config is parsed. */
import { readFileSync } from 'node:fs';
import { AppError, describeError } from '../errors.js';
import { BUILT_IN_ACCELERATOR_RESOURCES, DEFAULT_ENTRYPOINTS } from '../engine/api.js';
import { DEFAULT_VLLM_IMAGES } from '../engine/api.js';
import { compileImagePattern } from '../engine/api.js';
import type { EngineConfig, Mode, Waiver } from '../engine/api.js';
import { newAjv, readKnowledgeConfig } from '../engine/api.js';
import { parseDocuments } from '../io/yaml.js';
import { CONFIG_SCHEMA } from './schema.js';
import { describeSchemaError } from './schema-error.js';

export interface ServerSettings {
  failureMode: 'open' | 'closed';
  maxBodyBytes: number;
  /** Pass Pods whose owner (ReplicaSet, Job, …) was already checked at the controller. */
  passOwnedPods: boolean;
  /** Resolve related objects at admission from a watch-backed cache (`serve --lookups`). */
  lookups: boolean;
}

export interface AuditSettings {
  /** Seconds between background audits in the server; 0 = off. */
  interval: number;
  writeReports: boolean;
  pageSize: number;
}

export interface AppConfig {
  engine: EngineConfig;
  server: ServerSettings;
  audit: AuditSettings;
  /** The file it came from, or null for the embedded defaults. */
  file: string | null;
}

/** Device-counting resources of every vendor in src/engine/knowledge/accelerators.ts (sources there). */
export const DEFAULT_ACCELERATORS: readonly string[] = [...BUILT_IN_ACCELERATOR_RESOURCES];

export const DEFAULT_SECRET_ENV = [
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'VLLM_API_KEY',
  'OPENAI_API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'S3_SECRET_ACCESS_KEY',
  'AZURE_STORAGE_KEY',
  'WANDB_API_KEY',
];

/**
 * Compiled per parse (configs are read at start and on reload only): no validator held in module state.
 * verbose: errors carry their schema, so an unknown field can be answered with the nearest known one.
 */
function compileConfigValidator() {
  return newAjv({ allErrors: false, strict: false, verbose: true }).compile(CONFIG_SCHEMA);
}

type RawConfig = Record<string, unknown> & {
  mode?: Mode;
  failureMode?: 'open' | 'closed';
  maxBodyBytes?: number;
  passOwnedPods?: boolean;
  detection?: Partial<EngineConfig['detection']>;
  acceleratorResources?: string[];
  secretEnv?: string[];
  intentPrefix?: string;
  knowledge?: unknown;
  policies?: EngineConfig['policies'];
  namespaces?: EngineConfig['namespaces'];
  waivers?: Omit<Waiver, 'source'>[];
  audit?: Partial<AuditSettings>;
  lookups?: boolean;
  exclude?: { images?: string[]; entrypoints?: string[]; acceleratorResources?: string[]; secretEnv?: string[] };
};

/**
 * Configuration extends, it never silently narrows: a configured list adds to the built-in one
 * (a shipped config with `images: []` once switched off detection of every vendor image in the
 * cluster while `check` on a laptop still found them). Removing a built-in takes `exclude`.
 */
function extend(builtIn: readonly string[], configured: readonly string[] | undefined, excluded: readonly string[] | undefined): string[] {
  const out = builtIn.filter((entry) => !excluded?.includes(entry));
  for (const entry of configured ?? []) if (!out.includes(entry)) out.push(entry);
  return out;
}

function buildConfig(raw: RawConfig, file: string | null, mode: Mode | undefined): AppConfig {
  const exclude = raw.exclude ?? {};
  const configuredEntrypoints = raw.detection?.entrypoints ?? [];
  const engine: EngineConfig = {
    mode: mode ?? raw.mode ?? 'enforce',
    detection: {
      images: extend(DEFAULT_VLLM_IMAGES, raw.detection?.images, exclude.images),
      labels: raw.detection?.labels ?? {},
      allPods: raw.detection?.allPods ?? false,
      // The config's entries first: the first match wins, so they can override a built-in ENTRYPOINT.
      entrypoints: [...configuredEntrypoints, ...DEFAULT_ENTRYPOINTS.filter((e) => !exclude.entrypoints?.includes(e.image))],
    },
    acceleratorResources: extend(DEFAULT_ACCELERATORS, raw.acceleratorResources, exclude.acceleratorResources),
    secretEnv: extend(DEFAULT_SECRET_ENV, raw.secretEnv, exclude.secretEnv),
    intentPrefix: raw.intentPrefix ?? 'llm-readiness/',
    ...(raw.knowledge !== undefined ? { knowledge: readKnowledgeConfig(raw.knowledge, file ?? 'config') } : {}),
    policies: raw.policies ?? {},
    namespaces: raw.namespaces ?? {},
    waivers: (raw.waivers ?? []).map((w) => ({
      policies: w.policies,
      namespaces: w.namespaces ?? ['*'],
      names: w.names ?? ['*'],
      ...(w.reason !== undefined ? { reason: w.reason } : {}),
      ...(w.expires !== undefined ? { expires: w.expires } : {}),
      source: 'config' as const,
    })),
  };
  checkPatterns(raw.detection ?? {}, file);
  return deepFreeze({
    engine,
    server: {
      failureMode: raw.failureMode ?? 'open',
      maxBodyBytes: raw.maxBodyBytes ?? 3 * 1024 * 1024,
      passOwnedPods: raw.passOwnedPods ?? true,
      lookups: raw.lookups ?? false,
    },
    audit: { interval: raw.audit?.interval ?? 0, writeReports: raw.audit?.writeReports ?? false, pageSize: raw.audit?.pageSize ?? 500 },
    file,
  });
}

/** Image patterns are compiled at load, so a bad one is refused with its place instead of at the first review. */
function checkPatterns(detection: Partial<EngineConfig['detection']>, file: string | null): void {
  const where = file ?? 'the default config';
  const places = [
    ...(detection.images ?? []).map((source, i) => ({ source, field: `detection.images[${i}]` })),
    ...(detection.entrypoints ?? []).map((rule, i) => ({ source: rule.image, field: `detection.entrypoints[${i}].image` })),
  ];
  for (const { source, field } of places) {
    try {
      compileImagePattern(source);
    } catch (err: unknown) {
      throw new AppError('ERR_CONFIG', `${where}: ${field}: ${describeError(err)}`, { cause: err });
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/** The embedded defaults, or the file's settings over them. Throws ERR_CONFIG naming file, line and field. */
export function loadConfig(file: string | null, overrides: { mode?: Mode } = {}): AppConfig {
  if (file === null) return buildConfig({}, null, overrides.mode);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err: unknown) {
    throw new AppError('ERR_CONFIG', `${file}: cannot read the config file (${describeError(err)})`, { cause: err });
  }
  return parseConfig(text, file, overrides);
}

/** Parses config text; split from loadConfig so a ConfigMap's content can be checked without a file. */
export function parseConfig(text: string, file: string, overrides: { mode?: Mode } = {}): AppConfig {
  const docs = parseDocuments(text);
  const doc = docs[0];
  if (docs.length > 1) throw new AppError('ERR_CONFIG', `${file}: expected one YAML document, found ${docs.length}`);
  if (doc?.error) throw new AppError('ERR_CONFIG', `${file}:${doc.error.line}: ${doc.error.message}`);
  const raw = doc?.value ?? {};
  const validateConfig = compileConfigValidator();
  if (!validateConfig(raw)) {
    const where = describeSchemaError(validateConfig.errors?.[0]);
    const line = doc ? `:${doc.keyLineOf(where.path)}` : '';
    throw new AppError('ERR_CONFIG', `${file}${line}: ${where.text}`);
  }
  return buildConfig(raw as RawConfig, file, overrides.mode);
}
