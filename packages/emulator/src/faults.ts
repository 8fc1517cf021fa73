import type { EmulatorStats, FaultConfig, FaultKind, FaultRule } from './types.ts';

const KINDS: ReadonlySet<string> = new Set(['error500', 'slowDown', 'reset', 'delay', 'lostResponse', 'corrupt']);

/** mulberry32: tiny, seedable, good enough to make fault draws reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function validateFaultConfig(cfg: unknown): FaultConfig {
  if (!cfg || typeof cfg !== 'object') throw new TypeError('fault config must be an object');
  const c = cfg as FaultConfig;
  for (const k of Object.keys(c)) {
    if (!['rules', 'seed', 'clockOffsetSeconds'].includes(k)) throw new TypeError(`unknown fault config key: ${k}`);
  }
  for (const r of c.rules ?? []) {
    if (!KINDS.has(r.kind)) throw new TypeError(`unknown fault kind: ${String(r.kind)}`);
    for (const k of Object.keys(r)) {
      if (!['op', 'key', 'kind', 'probability', 'count', 'delayMs'].includes(k)) throw new TypeError(`unknown fault rule key: ${k}`);
    }
  }
  return c;
}

/** Decides, per request, which faults to inject; counts what it did. */
export class FaultEngine {
  private rules: Array<FaultRule & { used: number }> = [];
  private random: () => number = Math.random;
  private config: FaultConfig = {};
  readonly injected: Record<string, number> = {};

  set(cfg: FaultConfig): void {
    validateFaultConfig(cfg);
    this.config = cfg;
    this.rules = (cfg.rules ?? []).map((r) => ({ ...r, used: 0 }));
    this.random = cfg.seed === undefined ? Math.random : prng(cfg.seed);
  }

  get(): FaultConfig {
    return { ...this.config, rules: this.rules.map(({ used: _used, ...r }) => r) };
  }

  /** All kinds that fire for this request; `delay` can combine with another kind. */
  draw(op: string, key: string | undefined): { kinds: Set<FaultKind>; delayMs: number } {
    const kinds = new Set<FaultKind>();
    let delayMs = 0;
    for (const r of this.rules) {
      if (r.op !== undefined && r.op !== op) continue;
      if (r.key !== undefined && !(key ?? '').startsWith(r.key)) continue;
      if (r.count !== undefined && r.used >= r.count) continue;
      if (this.random() >= (r.probability ?? 1)) continue;
      if (r.kind !== 'delay' && [...kinds].some((k) => k !== 'delay')) continue;
      r.used++;
      kinds.add(r.kind);
      if (r.kind === 'delay') delayMs += r.delayMs ?? 1000;
      this.injected[r.kind] = (this.injected[r.kind] ?? 0) + 1;
    }
    return { kinds, delayMs };
  }

  resetCounts(): void {
    for (const k of Object.keys(this.injected)) delete this.injected[k];
  }
}

export class Stats {
  requests: Record<string, number> = {};
  count(op: string): void {
    this.requests[op] = (this.requests[op] ?? 0) + 1;
  }
  snapshot(faults: FaultEngine): EmulatorStats {
    return { requests: { ...this.requests }, faults: { ...faults.injected } };
  }
  reset(): void {
    this.requests = {};
  }
}
