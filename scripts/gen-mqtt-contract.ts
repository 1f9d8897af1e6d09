// Writes the published MQTT contract into schema/mqtt/ (shipped in the package):
// asyncapi.json and one <Name>.schema.json per JSON payload. Run after changing a
// payload's schema: node --import tsx scripts/gen-mqtt-contract.ts
// (--check: exit 1 when the files on disk differ from what the code generates).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncApiDocument, payloadJsonSchemas } from '../src/integrations/contract.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'mqtt');
const files: Record<string, unknown> = { 'asyncapi.json': asyncApiDocument() };
for (const [name, schema] of Object.entries(payloadJsonSchemas())) {
  files[`${name}.schema.json`] = { $schema: 'http://json-schema.org/draft-07/schema#', $id: `faultsense/mqtt/${name}`, title: name, ...schema };
}
const check = process.argv.includes('--check');
const stale: string[] = [];
mkdirSync(dir, { recursive: true });
for (const [name, doc] of Object.entries(files)) {
  const text = JSON.stringify(doc, null, 2) + '\n';
  const file = join(dir, name);
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(name);
  } else {
    writeFileSync(file, text);
  }
}
if (check && stale.length > 0) {
  console.error(`schema/mqtt is out of date (${stale.join(', ')}): run node --import tsx scripts/gen-mqtt-contract.ts`);
  process.exit(1);
}
console.error(check ? 'schema/mqtt is up to date' : `wrote ${Object.keys(files).length} files to ${dir}`);
