// The daemon's own MQTT commands (beside the publisher's config-get and
// set-log-level, and the offload path's analyze-video): handlers bound to the
// registry's schemas (builtinCommandSchemas), handed to the publisher when it
// is built. Every part a handler acts on exists before this list is made.
import type { Config } from '../config/schema.js';
import type { DiagnosisStage } from '../diagnosis/stage.js';
import type { InferenceService } from '../inference/service.js';
import type { FindingsJoin } from '../pipeline/findings-join.js';
import type { LiveBaselineLearner } from '../pipeline/live-learning.js';
import { bindCommand, type CommandBinding } from '../publish/commands.js';

export interface DaemonCommandParts {
  config: Config;
  join: FindingsJoin;
  diagnosis: DiagnosisStage;
  inference: InferenceService;
  learner: LiveBaselineLearner;
  /** Restarts the pipeline (a model activated or rolled back). */
  requestReload?: (reason: string) => void;
}

export function daemonCommands(o: DaemonCommandParts): CommandBinding[] {
  const { config, join, diagnosis, inference, learner } = o;
  return [
    bindCommand('diagnose-now', async (a) => {
      const input = join.current();
      if (!input) throw new Error('no fresh findings yet: no camera frame or audio window has been analysed recently');
      // The question steers the modality weights, adds its keywords as evidence and sets the answer's language.
      return diagnosis.diagnoseOnly(a.question?.trim() ? { ...input, question: a.question, input: { ...input.input, question: a.question } } : input);
    }),
    bindCommand('models-activate', async (a) => {
      const loaded = await inference.registry.activate(`${a.id}@${a.version}`, inference.engine, config.inference.precision);
      await loaded.session.release();
      o.requestReload?.(`model ${loaded.manifest.ref} activated by command`);
      return { active: loaded.manifest.ref, selfTest: loaded.selfTest, note: 'the pipeline restarts with the new version' };
    }),
    bindCommand('models-rollback', async (a) => {
      const version = inference.registry.rollback(a.id);
      o.requestReload?.(`model ${a.id} rolled back to ${version} by command`);
      return { active: `${a.id}@${version}`, note: 'the pipeline restarts with this version' };
    }),
    bindCommand('baseline-learn', (a) => learner.command(a)),
  ];
}
