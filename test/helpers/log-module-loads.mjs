// `node --import ./test/helpers/log-module-loads.mjs …`: writes "LOADED <url>" to stderr for every
// module the process loads through the ESM loader (ES modules, and CommonJS packages imported or
// required from ES modules), so a test can tell which modules a command brought in.
import { register } from 'node:module';

const hooks = `export async function load(url, context, next) {
  if (!url.startsWith('node:')) process.stderr.write('LOADED ' + url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
