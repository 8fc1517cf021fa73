/**
 * The worker pool every transfer uses (aws lib-storage style): items come from a (possibly async, possibly
 * back-pressured) iterator, N workers pull from it, and the first failure stops the rest. No queue class: the
 * iterator is the queue.
 */

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight. Resolves when every item is done; on the first
 * error (or when `signal` aborts) the others are cancelled through the signal passed to `fn`, and once every
 * worker has settled it rejects with that first error, so nothing is still running when it returns.
 */
export async function drain<T>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  signal: AbortSignal,
  fn: (item: T, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  signal.throwIfAborted();
  const stop = new AbortController();
  const inner = AbortSignal.any([signal, stop.signal]);
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  let failed = false;
  let firstError: unknown;
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = true;
    firstError = error;
    stop.abort(error);
  };
  // Explicit next() calls, not for-await: leaving a for-await loop would close the shared iterator for every worker.
  const worker = async (): Promise<void> => {
    while (!inner.aborted) {
      let step: IteratorResult<T>;
      try {
        step = await iterator.next();
      } catch (error) {
        fail(error);
        return;
      }
      if (step.done || inner.aborted) return;
      try {
        await fn(step.value, inner);
      } catch (error) {
        fail(error);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failed) throw firstError;
  signal.throwIfAborted();
}

/** A promise with its resolve/reject exposed (`Promise.withResolvers` is not in every supported browser yet). */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

/** A new `Deferred`. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves once `signal` aborts... never rejects; used to race waits against cancellation. */
export function whenAborted(signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}
