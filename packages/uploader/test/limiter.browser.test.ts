/// <reference types="mocha" />
import { expect } from 'chai';
import { isCosClientError } from '@coskit/core';
import { AdaptivePartLimiter, type LimiterChange } from '../src/queue/limiter.ts';

type Release = Awaited<ReturnType<AdaptivePartLimiter['acquire']>>;

/** Resolves on the next task: lets granted acquires settle. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function track(limiter: AdaptivePartLimiter): LimiterChange[] {
  const changes: LimiterChange[] = [];
  limiter.addEventListener('change', (e) => changes.push((e as CustomEvent<LimiterChange>).detail));
  return changes;
}

describe('AdaptivePartLimiter', () => {
  it('grants up to `max` slots at once and the rest in FIFO order as slots free', async () => {
    const limiter = new AdaptivePartLimiter({ max: 2 });
    const order: number[] = [];
    const releases: Release[] = [];
    const all = [1, 2, 3, 4].map((n) =>
      limiter.acquire().then((release) => {
        order.push(n);
        releases.push(release);
      }),
    );
    await settle();
    expect(order).to.deep.equal([1, 2]);
    expect(limiter.inFlight).to.equal(2);
    releases[0]!({ throttled: false });
    releases[0]!({ throttled: false }); // a double release must not free a second slot
    await settle();
    expect(order).to.deep.equal([1, 2, 3]);
    expect(limiter.inFlight).to.equal(2);
    releases[1]!({ throttled: false });
    await Promise.all(all);
    expect(order).to.deep.equal([1, 2, 3, 4]);
  });

  it('halves on a throttled part, once per congestion event, and regrows by one per `recoverAfter` clean parts', async () => {
    const limiter = new AdaptivePartLimiter({ max: 8, recoverAfter: 2 });
    const changes = track(limiter);
    const first = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    // Three parts in flight together all meet SlowDown: one cut, not three.
    first[0]!({ throttled: true });
    first[1]!({ throttled: true });
    first[2]!({ throttled: true });
    expect(limiter.limit).to.equal(4);
    expect(changes).to.deep.equal([{ limit: 4, previous: 8, reason: 'throttled' }]);
    for (const release of first.slice(3)) release({ throttled: false });
    expect(limiter.inFlight).to.equal(0);
    // 5 clean parts after the cut: +1 for every 2.
    expect(limiter.limit).to.equal(6);
    // A part started after the cut that is throttled again cuts again.
    const later = await limiter.acquire();
    later({ throttled: true });
    expect(limiter.limit).to.equal(3);
    for (let i = 0; i < 20; i++) (await limiter.acquire())({ throttled: false });
    expect(limiter.limit, 'never above max').to.equal(8);
    expect(changes.map((c) => c.limit)).to.deep.equal([4, 5, 6, 3, 4, 5, 6, 7, 8]);
  });

  it('never goes below one slot, and waiters proceed as the smaller budget allows', async () => {
    const limiter = new AdaptivePartLimiter({ max: 2 });
    for (let i = 0; i < 3; i++) (await limiter.acquire())({ throttled: true });
    expect(limiter.limit).to.equal(1);
    const a = await limiter.acquire();
    let bGranted = false;
    const b = limiter.acquire().then((r) => ((bGranted = true), r));
    await settle();
    expect(bGranted).to.equal(false);
    a({ throttled: false });
    (await b)({ throttled: false });
    expect(limiter.inFlight).to.equal(0);
  });

  it('rejects a waiting acquire with the abort reason and does not hand it a slot', async () => {
    const limiter = new AdaptivePartLimiter({ max: 1 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const reason = new Error('paused');
    controller.abort(reason);
    expect(await waiting.catch((e: unknown) => e)).to.equal(reason);
    held({ throttled: false });
    expect(limiter.inFlight).to.equal(0);
    expect(await limiter.acquire(AbortSignal.abort(reason)).catch((e: unknown) => e)).to.equal(reason);
  });

  it('validates its options', () => {
    for (const bad of [{ max: 0 }, { recoverAfter: 1.5 }, { maximum: 3 }]) {
      let error: unknown;
      try {
        new AdaptivePartLimiter(bad as never);
      } catch (e) {
        error = e;
      }
      expect(isCosClientError(error) && error.code, JSON.stringify(bad)).to.equal('InvalidArgument');
    }
  });
});
