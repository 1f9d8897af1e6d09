// A unix datagram socket bound by test/helpers/notify_listener.py (Node cannot bind one): stands in
// for systemd's NOTIFY_SOCKET and journald's native socket. Every datagram is kept with its arrival time.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './cli.js';

export interface Datagram { msg: string; at: number }

export class DatagramListener {
  readonly messages: Datagram[] = [];
  readonly bound: Promise<void>;
  private readonly proc: ChildProcess;

  constructor(readonly address: string) {
    this.proc = spawn('python3', [join(REPO_ROOT, 'test', 'helpers', 'notify_listener.py'), address], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: this.proc.stdout! });
    this.bound = new Promise((resolve) => {
      lines.on('line', (line) => {
        const m = JSON.parse(line) as { bound?: string; msg?: string };
        if (m.bound) resolve();
        if (m.msg !== undefined) this.messages.push({ msg: m.msg, at: Date.now() });
      });
    });
  }

  /** The first datagram that matches, polling until timeoutMs; the error lists what did arrive. */
  async waitFor(match: (d: Datagram) => boolean, timeoutMs: number, what: string): Promise<Datagram> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = this.messages.find(match);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.msg))}`);
  }

  close(): void { this.proc.kill('SIGKILL'); }
}
