import { KNOWLEDGE_CONFIG_SCHEMA } from '../engine/api.js';

/** JSON Schema of the config file (YAML or JSON); ajv reports the field path of any mistake. */
const ACTION = { enum: ['deny', 'warn', 'audit', 'off'] };
const MODE = { enum: ['enforce', 'warn', 'audit'] };
const STRINGS = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 512 } };

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: MODE,
    failureMode: { enum: ['open', 'closed'] },
    maxBodyBytes: { type: 'integer', minimum: 1024, maximum: 67108864 },
    passOwnedPods: { type: 'boolean' },
    detection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        images: STRINGS,
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        allPods: { type: 'boolean' },
        entrypoints: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['image', 'command'],
            properties: { image: { type: 'string', minLength: 1, maxLength: 512 }, command: STRINGS },
          },
        },
      },
    },
    acceleratorResources: STRINGS,
    secretEnv: STRINGS,
    exclude: {
      type: 'object',
      additionalProperties: false,
      description: 'Built-in entries to remove. Lists in the config add to the built-ins; only this removes one.',
      properties: { images: STRINGS, entrypoints: STRINGS, acceleratorResources: STRINGS, secretEnv: STRINGS },
    },
    intentPrefix: { type: 'string', maxLength: 253 },
    knowledge: KNOWLEDGE_CONFIG_SCHEMA,
    policies: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          action: ACTION,
          namespaces: { type: 'object', additionalProperties: ACTION },
          params: { type: 'object' },
          waivable: { type: 'boolean' },
        },
      },
    },
    namespaces: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: false, properties: { mode: MODE } },
    },
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['policies'],
        properties: {
          policies: { ...STRINGS, minItems: 1 },
          namespaces: STRINGS,
          names: STRINGS,
          reason: { type: 'string' },
          expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}' },
        },
      },
    },
    // serve --lookups: related objects at admission from a watch-backed cache (docs/install.md).
    lookups: { type: 'boolean' },
    audit: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // Seconds, within Node's timer range (2^31 - 1 ms): a longer one would fire every millisecond.
        // The file is refused at load (and on reload); serve also holds 1–9 s back (checkAuditInterval).
        interval: { type: 'integer', minimum: 0, maximum: 2147483 },
        writeReports: { type: 'boolean' },
        pageSize: { type: 'integer', minimum: 1, maximum: 5000 },
      },
    },
  },
} as const;
