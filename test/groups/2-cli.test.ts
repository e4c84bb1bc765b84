// The tests under the directories GROUPS.cli names (groups.ts), in this one process.
import { runGroup } from './groups.js';

await runGroup('cli');
