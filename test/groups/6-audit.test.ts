// The tests under the directories GROUPS.audit names (groups.ts), in this one process.
import { runGroup } from './groups.js';

await runGroup('audit');
