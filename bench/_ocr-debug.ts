// Development aid: one frame (or a few) looked at line by line, as the panel reader sees it. One entry for what
// earlier helpers wrote as a one-off script each; the subcommands live in _debug-read.ts (how lines are read),
// _debug-cells.ts (what the cell readers see) and _debug-box.ts (one box and what lies past its ends). Not a benchmark.
//   node --import tsx bench/_ocr-debug.ts SUBCOMMAND ARGS...   (no subcommand: the list with what each does)
// Boxes print as [x,y wxh] (axis-aligned bounds); `box` and `past` take the same four numbers.
import { boxCommands } from './_debug-box.js';
import { cellCommands } from './_debug-cells.js';
import { readCommands } from './_debug-read.js';

const commands = { ...readCommands, ...cellCommands, ...boxCommands };
const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(`usage: node --import tsx bench/_ocr-debug.ts SUBCOMMAND ARGS...\n${Object.values(commands).map((c) => `  ${c.usage}`).join('\n')}\n`);
  process.exit(name ? 1 : 0);
}
await command.run(rest.filter((a) => !a.startsWith('--')), rest);
