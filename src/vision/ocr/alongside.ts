// Main-thread work done while a model runs. A backend that runs models on a
// worker thread (ort-native) has the run under way as soon as the call
// returns its promise; JavaScript work that does not need the run's result
// (the stroke search beside the detector, the segment cells beside the
// recogniser) then costs no time of its own on a board with a second core.
// With a backend that runs on the main thread (ort-node) the order changes
// nothing but when the work is done.

/** `work()` while `running` is under way; a throw from `work` is rethrown once `running` settled (no rejection left unhandled). */
export async function alongside<T, U>(running: Promise<T>, work: () => U): Promise<[T, U]> {
  let done: U;
  try {
    done = work();
  } catch (err) {
    await running.catch(() => undefined);
    throw err;
  }
  return [await running, done];
}
