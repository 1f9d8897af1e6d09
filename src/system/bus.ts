// A typed event bus. Listeners are isolated: one that throws (or rejects) is
// logged and the others still run, so one broken consumer cannot stop the pipeline.
import type { Logger } from './logger.js';

type Listener<T> = (payload: T) => void | Promise<void>;

export class EventBus<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<{ owner: string; fn: Listener<never> }>>();

  constructor(private readonly log: Logger) {}

  on<K extends keyof Events>(event: K, owner: string, fn: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = { owner, fn: fn as Listener<never> };
    set.add(entry);
    return () => set!.delete(entry);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const { owner, fn } of [...set]) {
      try {
        const r = (fn as Listener<Events[K]>)(payload);
        if (r && typeof (r as Promise<void>).catch === 'function') {
          (r as Promise<void>).catch((err: unknown) => this.report(owner, String(event), err));
        }
      } catch (err) {
        this.report(owner, String(event), err);
      }
    }
  }

  removeOwner(owner: string): void {
    for (const set of this.listeners.values()) for (const e of [...set]) if (e.owner === owner) set.delete(e);
  }

  private report(owner: string, event: string, err: unknown): void {
    this.log.error(`listener ${owner} failed on ${event}: ${err instanceof Error ? err.message : String(err)}`,
      { stack: err instanceof Error ? err.stack : undefined });
  }
}
