/**
 * `AdaptivePartLimiter`: the upload queue's one budget of parts in flight across all files, adapted AIMD-style
 * (like TCP congestion control): a throttled part (SlowDown / 429 / 503) halves the budget, and every
 * `recoverAfter` clean parts add one back, up to `max`.
 */
import { CosClientError, type PartLimiter } from '@coskit/core';

/** Options of `AdaptivePartLimiter`; all optional. */
export interface AdaptivePartLimiterOptions {
  /** Parts in flight when nothing is throttled. @default 6 */
  max?: number;
  /** Clean parts needed to grow the budget by one after a cut. @default 4 */
  recoverAfter?: number;
}

/** `detail` of the limiter's `change` event. */
export interface LimiterChange {
  limit: number;
  previous: number;
  reason: 'throttled' | 'recovered';
}

const DEFAULTS = Object.freeze({ max: 6, recoverAfter: 4 });

type Release = (outcome: { throttled: boolean }) => void;

/** A shared, self-tuning `PartLimiter`. Dispatches `change` (a `CustomEvent<LimiterChange>`) when the budget moves. */
export class AdaptivePartLimiter extends EventTarget implements PartLimiter {
  readonly max: number;
  private readonly recoverAfter: number;
  private current: number;
  private active = 0;
  private clean = 0;
  /** Bumped on each cut: parts that started before a cut must not cut again (one reaction per congestion event). */
  private epoch = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(options: AdaptivePartLimiterOptions = {}) {
    super();
    for (const name of Object.keys(options)) {
      if (name !== 'max' && name !== 'recoverAfter') throw new CosClientError('InvalidArgument', `AdaptivePartLimiter: unknown option "${name}"`);
    }
    for (const name of ['max', 'recoverAfter'] as const) {
      const v = options[name];
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new CosClientError('InvalidArgument', `AdaptivePartLimiter ${name} must be a positive integer; got ${String(v)}`);
    }
    this.max = options.max ?? DEFAULTS.max;
    this.recoverAfter = options.recoverAfter ?? DEFAULTS.recoverAfter;
    this.current = this.max;
  }

  /** Parts allowed in flight right now (1..max). */
  get limit(): number {
    return this.current;
  }

  /** Parts holding a slot. */
  get inFlight(): number {
    return this.active;
  }

  /** Waits for a slot (FIFO); rejects with `signal.reason` if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve(this.releaser(this.epoch));
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal!.reason);
      };
      if (this.active < this.current && this.waiting.length === 0) grant();
      else {
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(grant);
      }
    });
  }

  private releaser(epoch: number): Release {
    let released = false;
    return ({ throttled }) => {
      // A double release would silently widen the budget.
      if (released) return;
      released = true;
      this.active--;
      if (throttled) {
        this.clean = 0;
        if (epoch === this.epoch) this.set(Math.max(1, Math.floor(this.current / 2)), 'throttled');
      } else if (this.current < this.max && ++this.clean >= this.recoverAfter) {
        this.clean = 0;
        this.set(this.current + 1, 'recovered');
      }
      this.drain();
    };
  }

  private set(limit: number, reason: LimiterChange['reason']): void {
    const previous = this.current;
    if (reason === 'throttled') this.epoch++;
    this.current = limit;
    if (limit !== previous) this.dispatchEvent(new CustomEvent<LimiterChange>('change', { detail: { limit, previous, reason } }));
  }

  private drain(): void {
    while (this.active < this.current && this.waiting.length > 0) this.waiting.shift()!();
  }
}
