/**
 * Runs `worker` over `items` with at most `limit` in flight and hands results to `emit` in input
 * order, as soon as every earlier item is done. At most `limit` results wait for an earlier slow item,
 * so memory does not grow with the number of items.
 */
export async function orderedPool<T, R>(
  items: Iterable<T>,
  limit: number,
  worker: (item: T, index: number) => Promise<R>,
  emit: (result: R, index: number) => void | Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const done = new Map<number, R>();
  let nextIndex = 0;
  let nextToEmit = 0;
  let exhausted = false;
  let failure: unknown;
  let emitting: Promise<void> = Promise.resolve();

  await new Promise<void>((resolveAll) => {
    let inFlight = 0;
    const pump = (): void => {
      // Start work while the window (started but not yet emitted) has room.
      while (!exhausted && failure === undefined && nextIndex - nextToEmit < limit) {
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
            flush();
          },
          (err: unknown) => {
            inFlight--;
            failure ??= err;
            flush();
          },
        );
      }
      if ((exhausted || failure !== undefined) && inFlight === 0) {
        emitting.then(() => resolveAll(), () => resolveAll());
      }
    };
    const flush = (): void => {
      while (done.has(nextToEmit)) {
        const index = nextToEmit++;
        const result = done.get(index) as R;
        done.delete(index);
        emitting = emitting.then(() => emit(result, index)).catch((err: unknown) => {
          failure ??= err;
        });
      }
      pump();
    };
    pump();
  });
  await emitting;
  if (failure !== undefined) throw failure;
}
