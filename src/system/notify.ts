// systemd integration: READY/STATUS/STOPPING notifications and the watchdog.
// The watchdog is only fed while the pipeline's heartbeat is fresh, so a stuck
// pipeline (not just a stuck event loop) lets systemd restart the service.
import type { Logger } from './logger.js';
import { loadNative } from './native.js';

export class SystemdNotifier {
  private readonly socket: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private warnedOnce = false;

  constructor(private readonly log: Logger, env: NodeJS.ProcessEnv = process.env) {
    this.socket = env.NOTIFY_SOCKET || undefined;
    const usec = Number(env.WATCHDOG_USEC ?? '');
    const pid = env.WATCHDOG_PID ? Number(env.WATCHDOG_PID) : undefined;
    this.watchdogUsec = Number.isFinite(usec) && usec > 0 && (pid === undefined || pid === process.pid) ? usec : 0;
  }

  readonly watchdogUsec: number;

  get enabled(): boolean { return this.socket !== undefined; }

  send(message: string): void {
    if (!this.socket) return;
    try {
      loadNative().notify(this.socket, message);
    } catch (err) {
      if (!this.warnedOnce) {
        this.warnedOnce = true;
        this.log.warn(`cannot notify systemd: ${(err as Error).message}`);
      }
    }
  }

  ready(status?: string): void {
    this.send(`READY=1\nMAINPID=${process.pid}${status ? `\nSTATUS=${status}` : ''}`);
  }

  status(text: string): void { this.send(`STATUS=${text.replace(/\n/g, ' ')}`); }

  stopping(): void { this.send('STOPPING=1'); }

  reloading(): void { this.send(`RELOADING=1\nMONOTONIC_USEC=${Math.round(performance.timeOrigin * 1000 + performance.now() * 1000)}`); }

  /**
   * Pings WATCHDOG=1 every half of WATCHDOG_USEC while `healthy()` is true.
   * When it turns false the pings stop and systemd's timer runs out.
   */
  startWatchdog(healthy: () => boolean): void {
    if (!this.socket || this.watchdogUsec === 0 || this.timer) return;
    const everyMs = Math.max(50, Math.floor(this.watchdogUsec / 2000));
    let lastHealthy = true;
    this.timer = setInterval(() => {
      const ok = healthy();
      if (ok) this.send('WATCHDOG=1');
      else if (lastHealthy) this.log.error('pipeline is stalled: withholding systemd watchdog pings so the service gets restarted');
      lastHealthy = ok;
    }, everyMs);
    this.timer.unref();
  }

  stopWatchdog(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
