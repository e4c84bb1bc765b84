// The tests under the directories GROUPS.engine names (groups.ts), in this one process.
import { runGroup } from './groups.js';

await runGroup('engine');
