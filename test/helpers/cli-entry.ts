// Runs the CLI from the TypeScript sources (tests need no build step).
import { runCli } from '../../src/cli/main.js';

await runCli(process.argv);
