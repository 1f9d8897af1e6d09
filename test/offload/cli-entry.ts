// Runs the real faultsense CLI from the TypeScript sources (no build needed):
//   node --import tsx test/offload/cli-entry.ts edge --mqtt mqtt://...
import { runCli } from '../../src/cli/main.js';

await runCli(process.argv);
