/**
 * Progress metering for transfers: throttles raw byte counts into `TransferProgressEvent`s (at least every 500 ms
 * or 1 MiB of progress, never more often than the source reports) with a speed over a recent window and an ETA.
 */
import type { TransferProgressEvent } from './types.ts';

/** Emit when this many bytes moved since the last event. */
const EMIT_BYTES = 1024 * 1024;
/** Emit when this much time passed since the last event. */
const EMIT_MS = 500;
/** Speed is measured over the last few seconds, so a stall shows quickly but one slow packet does not. */
const WINDOW_MS = 5000;

/** Turns a running byte count into throttled progress events with speed and ETA. */
export class ProgressMeter {
  private samples: Array<{ t: number; loaded: number }> = [];
  private lastEmitAt = -Infinity;
  private lastEmitLoaded = 0;
  private current: TransferProgressEvent;

  /**
   * @param total bytes expected in all
   * @param emit called with each event that passes the throttle
   */
  constructor(
    private total: number,
    private readonly emit: (event: TransferProgressEvent) => void,
  ) {
    this.current = { loaded: 0, total, percent: 0, speed: 0, eta: Infinity };
  }

  /** The latest computed progress (also between emitted events). */
  get progress(): TransferProgressEvent {
    return this.current;
  }

  /** Changes the expected total (e.g. once a listing finished). */
  setTotal(total: number): void {
    this.total = total;
  }

  /** Records `loaded` bytes done so far; emits when the throttle allows or `force` is set. */
  update(loaded: number, force = false): void {
    const now = performance.now();
    // Loaded goes backwards when in-flight parts are dropped (pause, failed attempt): restart the speed window.
    const last = this.samples[this.samples.length - 1];
    if (last && loaded < last.loaded) this.samples = [];
    this.samples.push({ t: now, loaded });
    while (this.samples.length > 2 && now - this.samples[0]!.t > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = (now - first.t) / 1000;
    const speed = elapsed > 0 ? Math.max(0, (loaded - first.loaded) / elapsed) : this.current.speed;
    const left = Math.max(0, this.total - loaded);
    this.current = {
      loaded,
      total: this.total,
      percent: this.total === 0 ? (force ? 100 : 0) : Math.min(100, (loaded / this.total) * 100),
      speed,
      eta: left === 0 ? 0 : speed > 0 ? left / speed : Infinity,
    };
    if (force || Math.abs(loaded - this.lastEmitLoaded) >= EMIT_BYTES || now - this.lastEmitAt >= EMIT_MS) {
      this.lastEmitAt = now;
      this.lastEmitLoaded = loaded;
      this.emit(this.current);
    }
  }

  /** Emits a final event for a finished transfer (100 %, even for 0 bytes). */
  finish(): void {
    this.update(this.total, true);
  }
}
