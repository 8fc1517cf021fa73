/**
 * A fixed budget of parts in flight, shared by every transfer it is given to. The uploader package's queue ships an
 * adaptive one; this one is the simple default you can share between a few `uploadFile` calls.
 */
import { invalidArgument } from '../errors.ts';
import type { PartLimiter } from './types.ts';

/** A FIFO semaphore implementing `PartLimiter` with a fixed number of slots. */
export class SimplePartLimiter implements PartLimiter {
  private active = 0;
  private readonly waiting: Array<{ grant: () => void }> = [];

  /** @param limit parts allowed in flight at once, across every transfer using this limiter */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw invalidArgument(`limiter limit must be a positive integer; got ${String(limit)}`);
  }

  /** Parts currently holding a slot. */
  get inFlight(): number {
    return this.active;
  }

  acquire(signal?: AbortSignal): Promise<(outcome: { throttled: boolean }) => void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          let released = false;
          resolve(() => {
            // A double release would silently widen the budget.
            if (released) return;
            released = true;
            this.active--;
            this.waiting.shift()?.grant();
          });
        },
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal!.reason);
      };
      if (this.active < this.limit) entry.grant();
      else {
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(entry);
      }
    });
  }
}

/** A `PartLimiter` allowing `limit` parts in flight (share it between transfers to cap them together). */
export function createPartLimiter(limit: number): SimplePartLimiter {
  return new SimplePartLimiter(limit);
}
