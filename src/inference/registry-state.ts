// Persisted registry state: per model the active version, the last version
// that passed its self-test, earlier actives (for rollback) and the last
// failure. Kept in <stateDir>/models/state.json, written atomically.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ModelState {
  active?: string;
  lastGood?: string;
  /** Earlier active versions, newest last. */
  previous: string[];
  failed?: { version: string; reason: string; at: string };
}

export interface RegistryStateData {
  models: Record<string, ModelState>;
}

export class RegistryState {
  private data: RegistryStateData;

  constructor(readonly file: string) {
    this.data = RegistryState.read(file);
  }

  private static read(file: string): RegistryStateData {
    if (!existsSync(file)) return { models: {} };
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<RegistryStateData>;
      const models: Record<string, ModelState> = {};
      for (const [id, s] of Object.entries(parsed.models ?? {})) models[id] = { ...s, previous: s.previous ?? [] };
      return { models };
    } catch (err) {
      throw new Error(`model registry state ${file} is unreadable (${(err as Error).message}); fix or delete it to start from the newest versions`);
    }
  }

  /** Re-reads the file (another process, e.g. the CLI, may have changed it). */
  reload(): void {
    this.data = RegistryState.read(this.file);
  }

  get(id: string): ModelState {
    return this.data.models[id] ?? { previous: [] };
  }

  update(id: string, change: (s: ModelState) => void): ModelState {
    const s = { ...this.get(id), previous: [...this.get(id).previous] };
    change(s);
    this.data.models[id] = s;
    this.save();
    return s;
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n');
    renameSync(tmp, this.file);
  }
}
