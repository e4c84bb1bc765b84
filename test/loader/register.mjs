// tap runs each test file in its own Node process with this module imported first (package.json
// "tap": "node-arg"). It registers swc-hooks.mjs, which compiles the TypeScript of src/ and test/
// with swc as Node loads it. It replaces the ts-node loader of @tapjs/typescript ("test-env":
// TAP_TYPE_STRIP_ONLY=1 keeps that one from loading): ts-node loads the TypeScript compiler twice
// per process (once per thread) and probes the file system for each import, about 0.8 s of CPU in
// each of the suite's ~140 test processes before a test starts. Types are checked by
// `npm run typecheck`, never by the test run.
import { register } from 'node:module';

register('./swc-hooks.mjs', import.meta.url);
