/**
 * The state machine shared by upload and download handles (tus-js-client style): an explicit `state`, events on
 * an `EventTarget`, `pause()` that cancels in-flight requests (their bytes are re-sent on `resume()`), and
 * `abort()` that cancels for good and cleans up. Subclasses write their flow as one async `run()` and wrap each
 * interruptible phase in `interruptible()`.
 */
import type { TransferProgressEvent } from './types.ts';
import { deferred, whenAborted, type Deferred } from './pool.ts';

/** Events fired by transfer handles. */
export interface TransferEventMap<S extends string> {
  /** Throttled progress (at least every 500 ms or 1 MiB). */
  progress: CustomEvent<TransferProgressEvent>;
  /** The state changed; `detail.state` is the new one. */
  statechange: CustomEvent<{ state: S }>;
}

/** Why a phase was interrupted by `pause()` (never surfaces to callers: the phase is re-run on `resume()`). */
const PAUSED = Symbol('paused');

/** Base of `UploadHandle` / `DownloadHandle`. */
export abstract class TransferTask<R, S extends string> extends EventTarget {
  /** Settles with the transfer's result; rejects with the cause, or with the abort reason (like fetch). */
  readonly done: Promise<R>;
  /** Aborted by `abort()` or by the caller's `signal`; every request of the transfer listens to it. */
  protected readonly stopper = new AbortController();
  /** True when `abort()` (not the caller's signal) stopped the transfer: clean up everything. */
  protected abortedByHandle = false;
  private currentState: S;
  private resumeTo: S | undefined;
  private gate: Deferred<void> | undefined;
  private phase: AbortController | undefined;
  private readonly outcome = deferred<R>();
  private readonly settled = deferred<void>();
  private cleanupError: unknown;

  protected constructor(
    initial: S,
    private readonly pausable: readonly S[],
    private readonly terminal: { done: S; failed: S; aborted: S },
    private readonly callbacks: { onStateChange?: ((state: S) => void) | undefined; onProgress?: ((p: TransferProgressEvent) => void) | undefined },
    signal: AbortSignal | undefined,
  ) {
    super();
    this.currentState = initial;
    this.done = this.outcome.promise;
    if (signal) {
      if (signal.aborted) this.stopper.abort(signal.reason);
      else signal.addEventListener('abort', () => this.stopper.abort(signal.reason), { once: true });
    }
  }

  /** Starts the flow; called by the subclass constructor once its fields are set. */
  protected start(): void {
    // A microtask later, so listeners added right after construction see the first events.
    queueMicrotask(() => void this.drive());
  }

  /** The current state. */
  get state(): S {
    return this.currentState;
  }

  /** Stops starting new requests and cancels in-flight ones; `resume()` continues where it stopped. */
  pause(): void {
    if (!this.pausable.includes(this.currentState)) return;
    this.resumeTo = this.currentState;
    this.gate = deferred<void>();
    this.setState('paused' as S);
    this.phase?.abort(PAUSED);
  }

  /** Continues a paused transfer. */
  resume(): void {
    if (!this.gate) return;
    const gate = this.gate;
    this.gate = undefined;
    this.setState(this.resumeTo!);
    gate.resolve();
  }

  /**
   * Cancels the transfer and cleans up (what that means is the subclass's: an upload aborts its multipart upload
   * on the server and deletes its resume record). `done` rejects with `reason`; this resolves once cleanup is over
   * and rejects only if the cleanup itself failed.
   */
  async abort(reason?: unknown): Promise<void> {
    if (!this.isTerminal()) {
      this.abortedByHandle = true;
      // done's rejection is what the caller asked for: do not report it as unhandled.
      this.done.catch(() => undefined);
      this.stopper.abort(reason ?? new DOMException('The transfer was aborted.', 'AbortError'));
    }
    await this.settled.promise;
    if (this.cleanupError !== undefined) throw this.cleanupError;
  }

  /** The flow: resolve with the result or throw. */
  protected abstract run(): Promise<R>;

  /** Cleanup after the transfer stopped without finishing (`aborted`: stopped by abort() or the caller's signal). */
  protected abstract cleanup(outcome: { aborted: boolean; byHandle: boolean }): Promise<void>;

  /** Moves to `state`, or, while paused, to the state `resume()` returns to. */
  protected enter(state: S): void {
    if (this.gate) this.resumeTo = state;
    else this.setState(state);
  }

  /** Waits while paused; throws the stop reason once stopped. */
  protected async checkpoint(): Promise<void> {
    while (this.gate) await Promise.race([this.gate.promise, whenAborted(this.stopper.signal)]).then(() => this.stopper.signal.throwIfAborted());
    this.stopper.signal.throwIfAborted();
  }

  /**
   * Runs a phase that `pause()` may interrupt: its signal aborts on pause and on stop; after a pause the phase is
   * run again from the start once resumed, so it must be restartable (skip what is already done).
   */
  protected async interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (;;) {
      await this.checkpoint();
      const phase = new AbortController();
      this.phase = phase;
      try {
        return await fn(AbortSignal.any([this.stopper.signal, phase.signal]));
      } catch (error) {
        if (phase.signal.aborted && phase.signal.reason === PAUSED && !this.stopper.signal.aborted) continue;
        throw error;
      } finally {
        this.phase = undefined;
      }
    }
  }

  /** Fires `progress` and calls `onProgress`. */
  protected emitProgress(progress: TransferProgressEvent): void {
    this.callbacks.onProgress?.(progress);
    this.dispatchEvent(new CustomEvent('progress', { detail: progress }));
  }

  private setState(state: S): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.callbacks.onStateChange?.(state);
    this.dispatchEvent(new CustomEvent('statechange', { detail: { state } }));
  }

  private isTerminal(): boolean {
    const s = this.currentState;
    return s === this.terminal.done || s === this.terminal.failed || s === this.terminal.aborted;
  }

  private async drive(): Promise<void> {
    try {
      const value = await this.run();
      this.setState(this.terminal.done);
      this.outcome.resolve(value);
    } catch (error) {
      const aborted = this.stopper.signal.aborted;
      try {
        await this.cleanup({ aborted, byHandle: this.abortedByHandle });
      } catch (cleanupError) {
        this.cleanupError = cleanupError;
      }
      this.setState(aborted ? this.terminal.aborted : this.terminal.failed);
      // An abort rejects with the abort reason, like fetch, whatever the interrupted request threw.
      this.outcome.reject(aborted ? this.stopper.signal.reason : error);
    } finally {
      this.gate = undefined;
      this.settled.resolve();
    }
  }
}

// Typed listeners for `progress` and `statechange` (declaration merging with the class).
export interface TransferTask<R, S extends string> {
  addEventListener<K extends keyof TransferEventMap<S>>(
    type: K,
    listener: (this: TransferTask<R, S>, event: TransferEventMap<S>[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TransferEventMap<S>>(
    type: K,
    listener: (this: TransferTask<R, S>, event: TransferEventMap<S>[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}
