// The composition root: builds the components from the configuration, starts
// them in order, runs the main loop, and stops them in reverse. It also owns
// the process-level concerns: signals, systemd notifications, reload.
import { mkdirSync } from 'node:fs';
import { loadConfig, type LoadOptions } from './config/load.js';
import type { Config } from './config/schema.js';
import { StartupError, type Component } from './system/component.js';
import { Heartbeat } from './system/heartbeat.js';
import { getLogger, setLogLevel, type LogLevel, type Logger } from './system/logger.js';
import { SystemdNotifier } from './system/notify.js';
import { statusSummary } from './system/status-line.js';
import { buildComponents, type ComponentContext } from './wiring.js';

export interface DaemonOptions {
  configFile?: string;
  loadOptions?: LoadOptions;
  /** Builds the components instead of the standard wiring (a test's own components, e.g. a stage that hangs). */
  build?: (ctx: ComponentContext) => Component[] | Promise<Component[]>;
  env?: NodeJS.ProcessEnv;
  /** Called when the daemon cannot go on (a reload that fails to start); default: exit with the code. */
  onFatal?: (code: number) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const setImmediatePromise = () => new Promise<void>((r) => setImmediate(r));

export class Daemon {
  private components: Component[] = [];
  private readonly heartbeat = new Heartbeat();
  private readonly log: Logger = getLogger('daemon');
  private readonly notifier: SystemdNotifier;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly startedAt = Date.now();

  constructor(private config: Config, private readonly opts: DaemonOptions = {}) {
    this.notifier = new SystemdNotifier(getLogger('systemd'), opts.env ?? process.env);
  }

  get currentConfig(): Config { return this.config; }

  /** Interval of the main loop; also bounds how stale the heartbeat may get. */
  private get loopMs(): number { return 500; }

  private stallLimitMs(): number {
    if (this.config.stallAfterSec) return this.config.stallAfterSec * 1000;
    const wd = this.notifier.watchdogUsec / 1000;
    return wd > 0 ? Math.max(this.loopMs * 3, wd) : 30_000;
  }

  async start(): Promise<void> {
    mkdirSync(this.config.stateDir, { recursive: true });
    this.stopRequested = false;
    await this.startComponents();
    this.running = true;
    this.loopDone = this.mainLoop();
    this.notifier.ready(this.statusLine());
    this.notifier.startWatchdog(() => this.heartbeat.fresh(this.stallLimitMs()));
    this.log.info(`faultsense running as ${this.config.deviceId}`, { components: this.components.map((c) => c.name) });
  }

  private async startComponents(): Promise<void> {
    const ctx: ComponentContext = {
      config: this.config, log: getLogger('faultsense'), heartbeat: this.heartbeat, health: () => this.health(),
      componentHealth: () => this.componentHealth(),
      requestReload: (reason) => {
        this.log.info(`reload requested: ${reason}`);
        void this.reload(true);
      },
    };
    try {
      this.components = await (this.opts.build ?? buildComponents)(ctx);
    } catch (err) {
      throw new StartupError('pipeline set-up', err);
    }
    const started: Component[] = [];
    for (const c of this.components) {
      this.notifier.status(`starting ${c.name}`);
      try {
        await c.start();
        started.push(c);
        this.log.debug(`${c.name} started`);
      } catch (err) {
        await this.stopList(started.reverse(), this.config.stopTimeoutSec * 1000);
        throw err instanceof StartupError ? err : new StartupError(c.name, err);
      }
    }
  }

  private loopGeneration = 0;

  private async mainLoop(): Promise<void> {
    const generation = ++this.loopGeneration;
    while (this.running && generation === this.loopGeneration) {
      for (const c of this.components) {
        if (!c.tick) continue;
        try {
          await c.tick();
        } catch (err) {
          this.log.error(`${c.name} failed in the main loop: ${(err as Error).message}`);
        }
      }
      this.heartbeat.beat();
      this.refreshStatus();
      await sleep(this.loopMs);
    }
  }

  statusLine(): string {
    const problems = this.components.flatMap((c) => { try { return c.problems?.() ?? []; } catch { return []; } });
    const health: Record<string, unknown> = {};
    for (const c of this.components) {
      try { if (c.health) health[c.name] = c.health(); } catch { /* a failing health() shows up in `health` */ }
    }
    return statusSummary(health, problems, this.running ? 'monitoring' : 'starting');
  }

  private lastStatusSent = '';

  /** Sends STATUS= when a component's problems appear or clear. */
  private refreshStatus(): void {
    const line = this.statusLine();
    if (line === this.lastStatusSent) return;
    this.lastStatusSent = line;
    this.notifier.status(line);
  }

  health(): Record<string, unknown> {
    return { uptimeSec: Math.round((Date.now() - this.startedAt) / 1000), ...this.componentHealth() };
  }

  /** Each running component's health summary, by name. */
  componentHealth(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of this.components) if (c.health) out[c.name] = c.health();
    return out;
  }

  private async stopList(list: Component[], budgetMs: number): Promise<boolean> {
    const deadline = Date.now() + budgetMs;
    let clean = true;
    for (const c of list) {
      const left = Math.max(100, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        c.stop().then(() => 'ok' as const, (err: unknown) => err),
        new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), left); }),
      ]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        clean = false;
        this.log.warn(`${c.name} did not stop within the stop budget; moving on`);
      } else if (outcome !== 'ok') {
        clean = false;
        this.log.warn(`${c.name} failed to stop cleanly: ${(outcome as Error).message ?? String(outcome)}`);
      }
    }
    return clean;
  }

  /** Stops every component in reverse order within stopTimeoutSec. */
  async stop(reason = 'stop requested'): Promise<boolean> {
    this.log.info(`stopping: ${reason}`);
    this.notifier.stopping();
    this.notifier.stopWatchdog();
    this.stopRequested = true;
    this.pendingReload = undefined;
    await this.reloadsSettled();
    this.running = false;
    const clean = await this.stopList([...this.components].reverse(), this.config.stopTimeoutSec * 1000);
    this.components = [];
    return clean;
  }

  private reloading: Promise<void> | undefined;
  /** The reload still to run; requests arriving while one runs merge into it (re-reading the file if any asked to). */
  private pendingReload: { restartOnly: boolean } | undefined;
  private stopRequested = false;
  readonly reloadCounters = { requested: 0, performed: 0 };

  /**
   * SIGHUP (or a component's request): re-read the configuration and restart the components;
   * keep running on the old configuration if the new one is invalid. Reloads run one at a time:
   * requests arriving while one runs are coalesced into a single further reload.
   * Resolves when the reload that covers this request has finished; never rejects.
   */
  reload(restartOnly = false): Promise<void> {
    this.reloadCounters.requested++;
    if (this.stopRequested) return Promise.resolve();
    this.pendingReload = { restartOnly: (this.pendingReload?.restartOnly ?? true) && restartOnly };
    this.reloading ??= setImmediatePromise().then(() => this.drainReloads());
    return this.reloading;
  }

  private async drainReloads(): Promise<void> {
    for (;;) {
      const next = this.pendingReload;
      this.pendingReload = undefined;
      // Cleared in the same turn as the last check, so a request can never be left waiting.
      if (!next || this.stopRequested) { this.reloading = undefined; return; }
      try {
        await this.reloadOnce(next.restartOnly);
      } catch (err) {
        this.log.error(`restart failed: ${(err as Error).message}`);
      }
    }
  }

  /** Resolves once no reload runs or waits (tests, shutdown). */
  async reloadsSettled(): Promise<void> {
    while (this.reloading) await this.reloading;
  }

  private async reloadOnce(restartOnly: boolean): Promise<void> {
    this.reloadCounters.performed++;
    if (!this.opts.configFile && !restartOnly) {
      this.log.info('reload requested but no config file was given; nothing to re-read');
      return;
    }
    let next: Config = this.config;
    if (this.opts.configFile) {
      try {
        next = loadConfig(this.opts.configFile, this.opts.loadOptions).config;
      } catch (err) {
        this.log.error(`reload rejected, keeping the running configuration: ${(err as Error).message}`);
        return;
      }
    }
    this.notifier.reloading();
    this.log.info(this.opts.configFile ? `reloading configuration from ${this.opts.configFile}` : 'restarting components');
    this.running = false;
    const old = this.components;
    this.components = [];
    await this.stopList([...old].reverse(), this.config.stopTimeoutSec * 1000);
    this.config = next;
    setLogLevel(next.logLevel as LogLevel);
    try {
      await this.startComponents();
    } catch (err) {
      // Half a pipeline is worse than none: exit non-zero so the service manager starts us afresh.
      this.log.error(`the pipeline could not be restarted: ${(err as Error).message}; exiting so systemd restarts faultsense`);
      this.notifier.stopping();
      (this.opts.onFatal ?? ((code: number) => process.exit(code)))(1);
      return;
    }
    this.running = true;
    this.loopDone = this.mainLoop();
    this.notifier.send(`READY=1\nSTATUS=${this.statusLine()}`);
  }

  /** Resolves when the main loop has ended (after stop). */
  async finished(): Promise<void> { await this.loopDone; }
}
