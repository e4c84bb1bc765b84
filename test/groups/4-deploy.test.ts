// The tests under the directories GROUPS.deploy names (groups.ts), in this one process.
import { runGroup } from './groups.js';

await runGroup('deploy');
