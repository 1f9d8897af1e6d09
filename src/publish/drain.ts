// Moves messages from the outbox to the broker in commit order: a window of
// QoS 1 publishes in flight, a token bucket so a long backlog does not flood
// the broker, and a delete only when the PUBACK arrives. When the connection
// drops, everything in flight goes back to the outbox and is sent again, in
// order, after the next connect. Where the messages go is a sink: the plain
// session's client (each message to its own topic, QoS 1), or another carrier
// (Sparkplug's NDATA with integrations.sparkplug.mode instead) that calls done
// once the broker has confirmed the message.
import type { MqttClient } from 'mqtt';
import type { Logger } from '../system/logger.js';
import type { Outbox, OutboxMessage } from './outbox.js';

/** Carries outbox messages to the broker; `done()` once the broker confirmed one, `done(err)` when it refused it. */
export interface OutboxSink {
  send(m: OutboxMessage, done: (err?: Error) => void): void;
}

export interface DrainOptions {
  /** Messages per second at most. */
  perSecond: number;
  /** Publishes awaiting PUBACK at once. */
  window: number;
  contentType?: string;
  protocolVersion: 4 | 5;
  log: Logger;
  /** Called after each acknowledged message. */
  onAcked?: (kind: string) => void;
}

export class OutboxDrainer {
  private sink: OutboxSink | undefined;
  private generation = 0;
  private running = false;
  private kickPending = false;
  private tokens: number;
  private lastRefill = Date.now();
  private waitTimer: NodeJS.Timeout | undefined;
  private lastId = 0;
  published = 0;
  acked = 0;

  constructor(private readonly outbox: Outbox, private readonly o: DrainOptions) {
    this.tokens = this.burst;
  }

  private get burst(): number { return Math.max(1, Math.min(this.o.perSecond, 50)); }

  /** A session is up: start sending from the oldest message, each to its own topic at QoS 1. */
  attach(client: MqttClient): void {
    this.attachSink({
      send: (m, done) => {
        const props = this.o.protocolVersion === 5 && m.kind !== 'evidence' && this.o.contentType
          ? { contentType: this.o.contentType } : undefined;
        client.publish(m.topic, m.payload, { qos: 1, retain: m.retain, properties: props }, (err) => {
          // "Connection closed" as the socket goes: not a refusal; the message is sent again after the next connect.
          if (err && client.stream?.destroyed) return;
          done(err ?? undefined);
        });
      },
    });
  }

  /** A carrier is up: start sending from the oldest message through it. */
  attachSink(sink: OutboxSink): void {
    this.generation += 1;
    this.sink = sink;
    this.lastId = 0;
    this.outbox.releaseInflight();
    this.kick();
  }

  /** The outbox file was replaced (ids start again): send from its first message. */
  rewind(): void {
    this.generation += 1;
    this.lastId = 0;
    this.outbox.releaseInflight();
    this.kick();
  }

  /** The session is gone: whatever was in flight will be sent again. */
  detach(): void {
    this.generation += 1;
    this.sink = undefined;
    this.outbox.releaseInflight();
    this.lastId = 0;
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
  }

  /** Something was enqueued (or acknowledged): send what the window and rate allow. */
  kick(): void {
    if (this.running) { this.kickPending = true; return; }
    this.running = true;
    try {
      do {
        this.kickPending = false;
        this.pump();
      } while (this.kickPending);
    } finally {
      this.running = false;
    }
  }

  /** Resolves true when the outbox is empty (acknowledged deletions committed), false after timeoutMs. */
  async whenEmpty(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.outbox.depth === 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.o.perSecond);
    this.lastRefill = now;
  }

  private pump(): void {
    const sink = this.sink;
    if (!sink || this.waitTimer) return;
    const inflight = this.outbox.inflightCount;
    const room = this.o.window - inflight;
    // Refill the window in batches rather than one message per PUBACK.
    if (room <= 0 || (inflight > 0 && room < Math.min(16, Math.ceil(this.o.window / 2)))) return;
    this.refill();
    const allowed = Math.min(room, Math.floor(this.tokens));
    if (allowed <= 0) {
      const waitMs = Math.max(1, Math.ceil(((1 - this.tokens) / this.o.perSecond) * 1000));
      this.waitTimer = setTimeout(() => { this.waitTimer = undefined; this.kick(); }, waitMs);
      return;
    }
    const batch = this.outbox.claimNext(this.lastId, allowed);
    if (batch.length === 0) return;
    const gen = this.generation;
    for (const m of batch) {
      this.tokens -= 1;
      this.lastId = m.id;
      this.published += 1;
      sink.send(m, (err) => {
        if (gen !== this.generation) return; // a dead session; the message is sent again after reconnect
        if (err) {
          this.o.log.error(`the broker refused the publish to ${m.topic}: ${err.message} (check its ACL for this topic); ` +
            'the message stays in the outbox and is sent again after the next reconnect');
          return;
        }
        this.acked += 1;
        this.outbox.ack(m.id);
        this.o.onAcked?.(m.kind);
        this.kick();
      });
    }
    this.kickPending = true;
  }
}
