// ESLint flat config: typescript-eslint's type-checked rules over src/, test/, bench/, certs/, tools/
// and deploy/tools/ (all in tsconfig.json's include). Type information comes from tsconfig.json through the project service, so lint
// sees the same types as `npm run typecheck`. bench/'s own config is named tsconfig.bench.json,
// not tsconfig.json: the project service opens the nearest tsconfig.json, and a second one made it
// build and check a second program for bench/load.ts and its imports (3.5 s of CPU). `npm test`
// lints through tools/typecheck-lint.mjs, with the type check's program instead of the service. Rule
// choices and their reasons are the comments beside them.
import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', '.tap/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits hides its rejection: the webhook must answer or fail loudly.
      // tap's t.test() returns a promise that tap itself tracks and never rejects: not floating.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: 'test', package: '@tapjs/test' }] }],
      // A switch over a union (kinds, actions, error codes) must name every member, or say default.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Every control-character class in this code strips or rejects control characters on purpose
      // (one-line admission messages, XML 1.0 in JUnit, no ANSI escapes in piped output).
      'no-control-regex': 'off',
      // tsc already reports unused locals and parameters (noUnusedLocals, noUnusedParameters).
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    // Every regex the product runs is linear time or refused (policy and config patterns run on RE2;
    // the literals in src/ on V8's backtracking engine): eslint-plugin-regexp proves each literal free
    // of polynomial backtracking, also when it is searched for at every position (`/\/+$/` on a run of
    // slashes). A 60 000-digit --gpu-memory-utilization took 16 s of a webhook's CPU before this rule.
    // Built-in patterns kept as strings in tables are checked by test/hardening/regex-linear.test.ts.
    // Not for test/, bench/ and tools/: they read our own outputs and vLLM's source, not requests.
    files: ['src/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  {
    // Tests and benches read parsed JSON (webhook answers, logs, reports) whose shape is what they
    // assert: `any` is the honest type there, and tap's idiom is an async test body that may not await.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript (this file, scripts): no type information to check against.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // CommonJS modules.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
