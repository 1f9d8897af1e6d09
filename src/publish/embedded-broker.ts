// The demo broker: aedes on 127.0.0.1 so the quick start works without a
// broker installed. aedes speaks MQTT 3.1.1 only; the publisher connects to it
// with protocol version 4.
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { Logger } from '../system/logger.js';

export class EmbeddedBroker {
  private broker: Aedes | undefined;
  private server: Server | undefined;
  port = 0;

  constructor(private readonly requestedPort: number, private readonly log: Logger) {}

  get url(): string { return `mqtt://127.0.0.1:${this.port}`; }

  async start(): Promise<void> {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    const listening = new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(new Error(err.code === 'EADDRINUSE'
          ? `mqtt.embeddedPort ${this.requestedPort} is already in use on 127.0.0.1; ` +
            'stop the other broker, pick another port, or set 0 for a random one'
          : `embedded MQTT broker cannot listen on 127.0.0.1:${this.requestedPort}: ${err.message}`));
      });
      server.listen(this.requestedPort, '127.0.0.1', () => resolve());
    });
    try {
      await listening;
    } catch (err) {
      await new Promise<void>((r) => broker.close(() => r()));
      throw err;
    }
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.requestedPort;
    this.broker = broker;
    this.server = server;
  }

  /** Logs how to watch the device's topics. */
  announce(topicRoot: string): void {
    this.log.info(`embedded MQTT broker listening on 127.0.0.1:${this.port}; watch it with: ` +
      `mosquitto_sub -h 127.0.0.1 -p ${this.port} -t '${topicRoot}/#' -v`);
  }

  async stop(): Promise<void> {
    const { broker, server } = this;
    this.broker = undefined;
    this.server = undefined;
    if (server) {
      server.close();
      // Drop client sockets so close() completes.
      await new Promise<void>((r) => (broker ? broker.close(() => r()) : r()));
    }
  }
}
