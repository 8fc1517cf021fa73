import { createHash, createHmac } from 'node:crypto';

/** A deliberately tiny, independent signer for tests (not @coskit/core, not the emulator's verifier). */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (k: string, m: string) => createHmac('sha1', k).update(m).digest('hex');
const sha1 = (m: string) => createHash('sha1').update(m).digest('hex');

export interface SignArgs {
  secretId: string;
  secretKey: string;
  method: string;
  pathname: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  keyTime?: string;
}

export function sign(a: SignArgs): string {
  const now = Math.floor(Date.now() / 1000) - 1;
  const keyTime = a.keyTime ?? `${now};${now + 900}`;
  const q = Object.entries(a.query ?? {}).map(([k, v]) => [enc(k).toLowerCase(), enc(v)] as const).sort(([x], [y]) => (x < y ? -1 : 1));
  const h = Object.entries(a.headers ?? {}).map(([k, v]) => [enc(k).toLowerCase(), enc(v)] as const).sort(([x], [y]) => (x < y ? -1 : 1));
  const httpString = `${a.method.toLowerCase()}\n${a.pathname}\n${q.map(([k, v]) => `${k}=${v}`).join('&')}\n${h.map(([k, v]) => `${k}=${v}`).join('&')}\n`;
  const sig = hmac(hmac(a.secretKey, keyTime), `sha1\n${keyTime}\n${sha1(httpString)}\n`);
  return [
    'q-sign-algorithm=sha1',
    `q-ak=${a.secretId}`,
    `q-sign-time=${keyTime}`,
    `q-key-time=${keyTime}`,
    `q-header-list=${h.map(([k]) => k).join(';')}`,
    `q-url-param-list=${q.map(([k]) => k).join(';')}`,
    `q-signature=${sig}`,
  ].join('&');
}

/** Reference CRC-64/XZ, bit by bit with BigInt: slow but obviously right. */
export function refCrc64(data: Uint8Array): bigint {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  const table: bigint[] = [];
  for (let n = 0n; n < 256n; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    table.push(c);
  }
  for (const b of data) crc = table[Number((crc ^ BigInt(b)) & 0xffn)]! ^ (crc >> 8n);
  return crc ^ 0xffffffffffffffffn;
}
