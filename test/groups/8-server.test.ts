// The tests under the directories GROUPS.server names (groups.ts), in this one process.
import { runGroup } from './groups.js';

await runGroup('server');
