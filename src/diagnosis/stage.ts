// The diagnosis stage of the daemon: findings in, diagnoses worth publishing
// out. It owns the catalog, the Diagnoser and the FaultTracker; the daemon
// gives it a `publish` sink (the MQTT outbox, which assigns `seq`).
import type { DiagnosisConfig } from '../config/sections/diagnosis.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { Diagnosis } from '../types.js';
import { catalogFromConfig, type FaultCatalog } from './catalog.js';
import { Diagnoser, type DiagnoseInput } from './diagnoser.js';
import { FaultTracker } from './tracker.js';

export interface DiagnosisStageOptions {
  config: DiagnosisConfig;
  deviceId: string;
  /** Receives every diagnosis the tracker decides to publish, in order. */
  publish: (d: Diagnosis) => void | Promise<void>;
  /** A catalog already loaded (tests, or the CLI); otherwise config.faults is read on start. */
  catalog?: FaultCatalog;
  log?: Logger;
  now?: () => number;
}

export class DiagnosisStage implements Component {
  readonly name = 'diagnosis';
  private diagnoser?: Diagnoser;
  private tracker?: FaultTracker;
  private readonly log: Logger;
  private readonly now: () => number;
  private diagnosed = 0;
  private published = 0;
  private lastDiagnosisAt?: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: DiagnosisStageOptions) {
    this.log = opts.log ?? getLogger('diagnosis');
    this.now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    const c = this.opts.config;
    const catalog = this.opts.catalog ?? catalogFromConfig(c.faults, (m) => this.log.warn(m));
    this.diagnoser = new Diagnoser(catalog, {
      deviceId: this.opts.deviceId, reportAbove: c.reportAbove, raiseAbove: c.raiseAbove,
      minQuality: c.minQuality, anomalyAbove: c.anomalyAbove, questionBoost: c.questionBoost,
    });
    this.tracker = new FaultTracker({
      raiseAfterSec: c.raiseAfterSec, clearAfterSec: c.clearAfterSec, confidenceStep: c.confidenceStep,
      healthyIntervalSec: c.healthyIntervalSec, raiseAbove: c.raiseAbove, deviceId: this.opts.deviceId, anomalyAbove: c.anomalyAbove,
    });
    this.log.info(`fault catalog loaded: ${catalog.faults.length} faults${catalog.file ? ` from ${catalog.file}` : ''}`);
    await this.emit(this.tracker.start(this.now()));
  }

  async stop(): Promise<void> {
    await this.chain;
  }

  /** Diagnoses one set of findings; publishes what the tracker lets through and returns the full diagnosis. */
  async submit(input: DiagnoseInput): Promise<Diagnosis> {
    if (!this.diagnoser || !this.tracker) throw new Error('diagnosis stage is not started');
    const d = this.diagnoser.diagnose(input);
    this.diagnosed++;
    this.lastDiagnosisAt = this.now();
    await this.emit(this.tracker.observe(d, this.lastDiagnosisAt));
    return d;
  }

  /** Diagnoses without touching the fault states (on-demand answers such as the diagnose-now command). */
  diagnoseOnly(input: DiagnoseInput): Diagnosis {
    if (!this.diagnoser) throw new Error('diagnosis stage is not started');
    return this.diagnoser.diagnose(input);
  }

  async tick(): Promise<void> {
    if (this.tracker) await this.emit(this.tracker.tick(this.now()));
  }

  private async emit(list: Diagnosis[]): Promise<void> {
    for (const d of list) {
      // Serialised so diagnoses reach the sink in the order they were decided.
      this.chain = this.chain.then(async () => {
        try {
          await this.opts.publish(d);
          this.published++;
        } catch (err) {
          this.log.error(`could not hand diagnosis ${d.id} (${d.state}) to the publisher: ${(err as Error).message}`);
        }
      });
    }
    await this.chain;
  }

  health(): Record<string, unknown> {
    return {
      diagnosed: this.diagnosed,
      published: this.published,
      lastDiagnosisAt: this.lastDiagnosisAt ? new Date(this.lastDiagnosisAt).toISOString() : null,
      ...(this.tracker?.health() ?? {}),
    };
  }
}
