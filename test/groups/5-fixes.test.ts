// The tests under the directories GROUPS.fixes names (groups.ts), in this one process.
import { runGroup } from './groups.js';

await runGroup('fixes');
