// The tests under the directories GROUPS.hardening names (groups.ts), in this one process.
import { runGroup } from './groups.js';

await runGroup('hardening');
