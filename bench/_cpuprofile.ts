// Summary of a V8 .cpuprofile (node --cpu-prof): self time by function and
// inclusive time by function (each function counted once per stack), top N.
//   node --import tsx bench/_cpuprofile.ts FILE.cpuprofile [N] [filter]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }
const [file, nArg, filter] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file!, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n: Node): string => `${n.callFrame.functionName || '(anon)'} ${basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const self = new Map<string, number>(), incl = new Map<string, number>();
let total = 0;
p.samples.forEach((id, i) => {
  const dt = p.timeDeltas[i] ?? 0;
  total += dt;
  const n = byId.get(id)!;
  self.set(name(n), (self.get(name(n)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
    const k = name(byId.get(c)!);
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + dt);
  }
});
const top = Number(nArg ?? 40);
const show = (m: Map<string, number>, title: string): void => {
  console.log(`${title} (total ${(total / 1000).toFixed(0)} ms)`);
  [...m].filter(([k]) => !filter || k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, top)
    .forEach(([k, v]) => console.log(`${(v / 1000).toFixed(0).padStart(8)} ms  ${k}`));
};
show(self, 'self');
show(incl, 'inclusive');

// Callees of functions whose name contains `filter`: inclusive time of each callee under them (TREE=1).
if (process.env.TREE && filter) {
  const under = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const chain: string[] = [];
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) chain.push(name(byId.get(c)!));
    // chain: leaf … root; find the outermost frame matching the filter, report the frame just below it
    let at = -1;
    for (let j = chain.length - 1; j >= 0; j--) if (chain[j]!.includes(filter)) { at = j; break; }
    if (at < 0) return;
    const k = at > 0 ? chain[at - 1]! : '(self)';
    under.set(k, (under.get(k) ?? 0) + dt);
  });
  console.log(`under ${filter}`);
  [...under].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, v]) => console.log(`${(v / 1000).toFixed(0).padStart(8)} ms  ${k}`));
}
