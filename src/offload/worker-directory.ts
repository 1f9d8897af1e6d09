// Which edge workers are online, from their retained status messages (and
// their last wills when they die).
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { parseWorkerStatus, type OffloadTopics, type WorkerStatus } from './protocol.js';

export class WorkerDirectory extends EventEmitter<{ offline: [workerId: string]; online: [workerId: string] }> {
  private readonly workers = new Map<string, WorkerStatus>();
  private readonly onMessage = (topic: string, payload: Buffer) => {
    if (!this.statusTopic.test(topic)) return;
    const s = parseWorkerStatus(payload);
    const id = topic.split('/').slice(-2, -1)[0]!;
    const was = this.workers.get(id)?.state;
    if (!s) {
      this.workers.delete(id);
      if (was === 'online') this.emit('offline', id);
      return;
    }
    this.workers.set(id, s);
    if (s.state === 'offline' && was !== 'offline') this.emit('offline', id);
    if (s.state === 'online' && was !== 'online') this.emit('online', id);
  };
  private readonly statusTopic: RegExp;

  constructor(private readonly client: MqttClient, private readonly topics: OffloadTopics) {
    super();
    const prefix = topics.allWorkerStatus.split('+')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.statusTopic = new RegExp(`^${prefix}[^/]+/status$`);
  }

  /** Subscribes and waits `settleMs` for the retained statuses to arrive. */
  async start(settleMs = 300): Promise<void> {
    this.client.on('message', this.onMessage);
    await this.client.subscribeAsync(this.topics.allWorkerStatus, { qos: 1 });
    await new Promise((r) => setTimeout(r, settleMs));
  }

  stop(): void {
    this.client.off('message', this.onMessage);
    this.client.unsubscribeAsync(this.topics.allWorkerStatus).catch(() => undefined);
  }

  online(): WorkerStatus[] {
    return [...this.workers.values()].filter((w) => w.state === 'online');
  }

  /** Jobs the online workers can take at once. */
  capacity(): number {
    return this.online().reduce((n, w) => n + Math.max(1, w.capacity ?? 1), 0);
  }

  /** The smallest segment limit among online workers. */
  maxJobBytes(): number | undefined {
    const limits = this.online().map((w) => w.maxJobBytes).filter((n): n is number => typeof n === 'number');
    return limits.length ? Math.min(...limits) : undefined;
  }
}
