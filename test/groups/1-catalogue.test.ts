// The tests under the directories GROUPS.catalogue names (groups.ts), in this one process.
import { runGroup } from './groups.js';

await runGroup('catalogue');
