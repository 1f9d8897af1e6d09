#!/usr/bin/env node
// Entry point installed as `faultsense`. The TypeScript sources compile to dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const main = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(`faultsense: ${main} is missing. Build first: (cd ${root} && npm run build)\n`);
  process.exit(1);
}
const { runCli } = await import(pathToFileURL(main).href);
await runCli(process.argv);
