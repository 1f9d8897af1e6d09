// Finds import cycles among the TypeScript files under src/. Every static
// `import ... from './x.js'` and `export ... from './x.js'` counts (type-only
// imports too: a cycle of types is still a knot in the design), and so do
// dynamic `import('./x.js')` calls with a literal path. Folders are checked the
// same way (a folder importing one that imports it back), and so are the floors
// listed in docs/architecture.md (no folder imports one on a higher floor).
// Prints each finding and exits 1 when there is one;
// test/foundation/imports.test.ts runs the same checks in CI.
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
  return stronglyConnected(graph).map((c) => c.map((f) => relative(root, f)).sort());
}

/**
 * Cycles between the folders under root (a file directly in root counts as its own
 * folder): audio/ importing baseline/ while baseline/ imports audio/ is a floor
 * imported from below and above at once, even when no two files form a cycle.
 * Each cycle comes with one import per edge as evidence.
 */
export function findFolderCycles(root: string): Array<{ folders: string[]; edges: string[] }> {
  const files = sourceFiles(root);
  const known = new Set(files);
  const folderOf = (f: string): string => relative(root, f).split('/')[0]!;
  const graph = new Map<string, string[]>();
  const evidence = new Map<string, string>();
  for (const f of files) {
    const from = folderOf(f);
    if (!graph.has(from)) graph.set(from, []);
    for (const t of localImports(f).filter((x) => known.has(x))) {
      const to = folderOf(t);
      if (to === from) continue;
      if (!graph.get(from)!.includes(to)) graph.get(from)!.push(to);
      if (!evidence.has(`${from}>${to}`)) evidence.set(`${from}>${to}`, `${relative(root, f)} → ${relative(root, t)}`);
    }
  }
  return stronglyConnected(graph).map((folders) => {
    const inside = new Set(folders);
    const edges = folders.flatMap((a) => (graph.get(a) ?? []).filter((b) => inside.has(b)).map((b) => evidence.get(`${a}>${b}`)!));
    return { folders: folders.sort(), edges: edges.sort() };
  });
}

/** The floors of the house, lowest first: each holds top-level entries of src/ (`audio` for src/audio/, `daemon.ts` for a root file). */
export type Floors = string[][];

/**
 * The floors as docs/architecture.md lists them under "## Floors": one numbered
 * line per floor, lowest first, naming its folders and root files in backticks
 * (`audio/`, `types.ts`).
 */
export function readFloors(doc: string): Floors {
  const section = doc.split(/^## /m).find((s) => s.startsWith('Floors'));
  if (!section) throw new Error('docs/architecture.md has no "## Floors" section');
  return [...section.matchAll(/^\d+\.\s+(.+)$/gm)].map((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]!.replace(/\/$/, '')));
}

/**
 * Imports that go up the floors: a file importing one in a folder on a higher
 * floor than its own (the same floor is allowed; cycles are found above). Each
 * as "from → to (floor a → b)". An entry of src/ on no floor is reported too.
 */
export function findUpwardImports(root: string, floors: Floors): string[] {
  const floorOf = new Map<string, number>();
  floors.forEach((names, i) => { for (const n of names) floorOf.set(n, i + 1); });
  const files = sourceFiles(root);
  const known = new Set(files);
  const entryOf = (f: string): string => relative(root, f).split('/')[0]!;
  const found: string[] = [];
  for (const e of new Set(files.map(entryOf))) if (!floorOf.has(e)) found.push(`${e} is on no floor`);
  for (const f of files) {
    const from = floorOf.get(entryOf(f));
    if (from === undefined) continue;
    for (const t of localImports(f).filter((x) => known.has(x))) {
      const to = floorOf.get(entryOf(t));
      if (to !== undefined && to > from) found.push(`${relative(root, f)} → ${relative(root, t)} (floor ${from} → ${to})`);
    }
  }
  return found.sort();
}

/** Tarjan's strongly connected components; every component of two or more nodes (or a node pointing at itself) holds a cycle. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
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
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(comp);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const cycles = findImportCycles(root);
  const folders = findFolderCycles(root);
  const upward = findUpwardImports(root, readFloors(readFileSync(join(root, '..', 'docs', 'architecture.md'), 'utf8')));
  for (const c of cycles) console.log(`import cycle: ${c.join(' ↔ ')}`);
  for (const c of folders) console.log(`folder cycle: ${c.folders.join(' ↔ ')} (${c.edges.join('; ')})`);
  for (const u of upward) console.log(`import up the floors: ${u}`);
  if (cycles.length || folders.length || upward.length) process.exit(1);
  console.log(`no import cycles under ${root}, between files or folders, and no import up the floors of docs/architecture.md`);
}
