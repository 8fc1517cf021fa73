import type { KeyRing } from './auth/keys.ts';
import type { FaultEngine, Stats } from './faults.ts';
import type { ResolvedOptions } from './options.ts';
import type { Store } from './storage/store.ts';

/** Everything a request handler may reach; one instance per running emulator. */
export interface EmulatorState {
  opts: ResolvedOptions;
  store: Store;
  keys: KeyRing;
  faults: FaultEngine;
  stats: Stats;
  clockOffsetSeconds: number;
}

/** Server clock in Unix seconds, including the configured offset (faults may skew it). */
export function serverNow(state: EmulatorState): number {
  return Date.now() / 1000 + state.clockOffsetSeconds;
}
