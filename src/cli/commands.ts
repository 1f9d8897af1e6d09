// Every CLI command beyond run/check-config lives in its own file exporting
// `register(program)`. Add one line here per command module.
import type { Command } from 'commander';

export type CommandModule = { register: (program: Command) => void };

export const commandModules: Array<() => Promise<CommandModule>> = [
  () => import('./baseline.js'),
  () => import('./edge.js'),
  () => import('./analyze-video.js'),
  () => import('./models.js'),
  () => import('./doctor.js'),
  () => import('./diagnose.js'),
  () => import('./setup.js'),
];
