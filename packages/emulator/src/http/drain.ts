/** Something writable that reports backpressure with 'drain' and can go away with 'close'. */
interface Drainable {
  on(event: 'drain' | 'close', fn: () => void): unknown;
  off(event: 'drain' | 'close', fn: () => void): unknown;
}

/**
 * Waits for 'drain' or 'close', whichever comes first, removing both listeners: waiting on 'drain' alone hangs
 * forever (and pins the source file open) when the consumer is destroyed instead.
 */
export function drained(stream: Drainable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
