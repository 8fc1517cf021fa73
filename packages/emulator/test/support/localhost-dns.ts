import dns from 'node:dns';

type LookupCb = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

let installed = false;

/**
 * The official SDK cannot resolve `*.localhost` (Chromium can); patch dns.lookup in this test process only so
 * virtual-hosted names reach the loopback emulator.
 */
export function installLocalhostDns(): void {
  if (installed) return;
  installed = true;
  const original = dns.lookup;
  const patched = function (this: unknown, host: string, opts: unknown, cb?: LookupCb) {
    const callback = (typeof opts === 'function' ? opts : cb) as LookupCb;
    const options = (typeof opts === 'object' && opts !== null ? opts : {}) as dns.LookupOptions;
    if (/\.localhost$/i.test(host)) {
      if (options.all) process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
      else process.nextTick(callback, null, '127.0.0.1', 4);
      return;
    }
    return (original as (...a: unknown[]) => void).call(this, host, opts, cb);
  };
  (dns as { lookup: unknown }).lookup = patched;
}
