// A fake failure for tests: makes every import of onnxruntime-node throw as a
// missing or wrong-architecture binding would (`node --import THIS ...`).
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'onnxruntime-node') {
    throw new Error('simulated: onnxruntime_binding.node: wrong ELF class: ELFCLASS32 (fake broken binding)');
  }
  return next(specifier, context);
}
`));
