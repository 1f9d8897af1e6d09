// Data moves one way through the house, and so do imports: no file of src/
// imports itself back through others, and no folder imports one that imports it.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findFolderCycles, findImportCycles, findUpwardImports, readFloors } from '../../scripts/import-cycles.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

function tree(files: Record<string, string>): string {
  const root = tempDir('faultsense-imports-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import direction', () => {
  it('src/ has no import cycle between files', () => {
    assert.deepEqual(findImportCycles(join(REPO_ROOT, 'src')), []);
  });

  it('src/ has no cycle between folders', () => {
    assert.deepEqual(findFolderCycles(join(REPO_ROOT, 'src')), []);
  });

  it('src/ imports nothing from a higher floor (the floors of docs/architecture.md), and every entry is on a floor', () => {
    const floors = readFloors(readFileSync(join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8'));
    assert.ok(floors.length >= 5, `floors read: ${JSON.stringify(floors)}`);
    assert.deepEqual(findUpwardImports(join(REPO_ROOT, 'src'), floors), []);
  });

  it('only src/inference/ opens ONNX Runtime: no other file imports onnxruntime-node but the binding check', () => {
    const src = join(REPO_ROOT, 'src');
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith('.ts') ? [join(d, n)] : []));
    const importers = walk(src).filter((f) => /(?:from\s+|import\(\s*)['"]onnxruntime-node['"]/.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(src.length + 1)).filter((f) => !f.startsWith('inference/')).sort();
    assert.deepEqual(importers, ['system/native-check.ts']);
  });

  it('finds an import up the floors, and an entry on no floor', () => {
    const root = tree({
      'system/util.ts': "import type { Frame } from '../capture/frame.js';\nexport const f = 1;\n",
      'capture/frame.ts': "import { f } from '../system/util.js';\nexport type Frame = number;\n",
      'extra/x.ts': 'export const x = 1;\n',
    });
    const floors = readFloors('## Floors\n\n1. `system/`\n2. `capture/`, `daemon.ts`\n\n## Next\n1. `extra/`\n');
    assert.deepEqual(floors, [['system'], ['capture', 'daemon.ts']]);
    assert.deepEqual(findUpwardImports(root, floors), ['extra is on no floor', 'system/util.ts → capture/frame.ts (floor 1 → 2)']);
  });

  it('finds a cycle through a type import, a re-export and a lazy import()', () => {
    const root = tree({
      'cli/main.ts': "import { a } from './commands.js';\nexport const version = '1';\n",
      'cli/commands.ts': "export const a = [() => import('./edge.js')];\n",
      'cli/edge.ts': "import type { X } from '../x/types.js';\nimport { version } from './main.js';\n",
      'x/types.ts': 'export type X = number;\n',
      'x/more.ts': "export { version } from '../cli/main.js';\n",
    });
    assert.deepEqual(findImportCycles(root), [['cli/commands.ts', 'cli/edge.ts', 'cli/main.ts']]);
    const folders = findFolderCycles(root);
    assert.equal(folders.length, 1);
    assert.deepEqual(folders[0]!.folders, ['cli', 'x']);
    assert.deepEqual(folders[0]!.edges, ['cli/edge.ts → x/types.ts', 'x/more.ts → cli/main.ts']);
  });

  it('docs/architecture.md has a paragraph for every folder of src/, and none for a folder that is gone', () => {
    const src = join(REPO_ROOT, 'src');
    const folders = readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory()).sort();
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');
    const described = [...doc.matchAll(/^### src\/([a-z-]+)\/$/gm)].map((m) => m[1]!).sort();
    assert.deepEqual(described, folders);
  });

  it('a one-way tree has none', () => {
    const root = tree({
      'capture/source.ts': "import { f } from '../system/util.js';\n",
      'system/util.ts': 'export const f = 1;\n',
      'daemon.ts': "import './capture/source.js';\n",
    });
    assert.deepEqual(findImportCycles(root), []);
    assert.deepEqual(findFolderCycles(root), []);
  });
});
