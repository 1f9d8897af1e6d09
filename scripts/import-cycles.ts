// Finds import cycles among the TypeScript files under src/. Every static
// `import ... from './x.js'` and `export ... from './x.js'` counts (type-only
// imports too: a cycle of types is still a knot in the design), and so do
// dynamic `import('./x.js')` calls with a literal path. Prints each cycle as a chain of files and exits 1
// when there is one, so `node --import tsx scripts/import-cycles.ts` can guard CI.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every .ts file below dir. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT_RE = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;
const BARE_IMPORT_RE = /^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm;
const DYNAMIC_IMPORT_RE = /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The relative modules a file imports, as absolute .ts paths. */
export function localImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const found = new Set<string>();
  for (const re of [IMPORT_RE, BARE_IMPORT_RE, DYNAMIC_IMPORT_RE]) {
    for (const m of text.matchAll(re)) found.add(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  }
  return [...found];
}

/** Cycles in the import graph of the files under root, each as a list of paths relative to root. */
export function findImportCycles(root: string): string[][] {
  const files = sourceFiles(root);
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, localImports(f).filter((t) => known.has(t))]));
  // Tarjan's strongly connected components; any component of two or more files
  // (or a file importing itself) holds a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index += 1;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(comp.map((f) => relative(root, f)).sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const cycles = findImportCycles(root);
  for (const c of cycles) console.log(`import cycle: ${c.join(' ↔ ')}`);
  if (cycles.length) process.exit(1);
  console.log(`no import cycles under ${root}`);
}
