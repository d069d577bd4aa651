/**
 * Runs `worker` over `items` with at most `limit` items in flight, and hands results to `emit` in
 * input order as soon as every earlier item is done. A slow item does not stop the others: work goes
 * on past it while at most `limit * backlog` results wait for it, so memory does not grow with the
 * number of items, and the configured concurrency stays busy (a window of `limit` started-but-not-
 * emitted items let one slow node idle the whole pipeline).
 */
export async function orderedPool<T, R>(
  items: Iterable<T>,
  limit: number,
  worker: (item: T, index: number) => Promise<R>,
  emit: (result: R, index: number) => void | Promise<void>,
  backlog = 8,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const done = new Map<number, R>();
  let nextIndex = 0; // next item to start
  let nextToEmit = 0; // next result to hand to emit
  let emitted = 0; // results whose emit has finished
  let exhausted = false;
  let emitting = false;
  let inFlight = 0;
  let failure: unknown;

  await new Promise<void>((resolveAll) => {
    const finishIfDone = (): void => {
      if ((exhausted || failure !== undefined) && inFlight === 0 && !emitting) resolveAll();
    };
    const pump = (): void => {
      while (!exhausted && failure === undefined && inFlight < limit && nextIndex - emitted < limit * Math.max(1, backlog)) {
        const step = iterator.next();
        if (step.done) {
          exhausted = true;
          break;
        }
        const index = nextIndex++;
        inFlight++;
        worker(step.value, index).then(
          (result) => {
            inFlight--;
            done.set(index, result);
            void drain();
          },
          (err: unknown) => {
            inFlight--;
            failure ??= err;
            finishIfDone();
          },
        );
      }
      finishIfDone();
    };
    // Emits ready results one at a time, in order; emit may be async (a reporter writing to a file).
    const drain = async (): Promise<void> => {
      if (emitting) return;
      emitting = true;
      try {
        while (failure === undefined && done.has(nextToEmit)) {
          const index = nextToEmit++;
          const result = done.get(index) as R;
          done.delete(index);
          await emit(result, index);
          emitted++;
        }
      } catch (err) {
        failure ??= err;
      } finally {
        emitting = false;
      }
      pump();
    };
    pump();
  });
  if (failure !== undefined) throw failure;
}
