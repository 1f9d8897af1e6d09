// Worker-thread entry of live baseline fitting (started by fitInWorker in
// learning-fit.ts): fits the job it was given and answers with one message.
import { parentPort, workerData } from 'node:worker_threads';
import { fitCollected, reviveJob, type FitJob } from './learning-fit.js';

try {
  const result = await fitCollected(reviveJob(workerData as FitJob));
  parentPort!.postMessage({ ok: true, result });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
