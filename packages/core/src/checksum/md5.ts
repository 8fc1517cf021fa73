/**
 * MD5 (RFC 1321) for `Content-MD5` and ETag checks, in plain TypeScript.
 *
 * Synchronous and dependency-free on purpose: it runs the same in a Web Worker, on the main thread and from any
 * bundle (no WASM to fetch or compile, and Chromium refuses to compile WASM over 4 KB synchronously on the main
 * thread), and it keeps the state in locals without allocating per block, which is what makes it faster than
 * spark-md5. Numbers: test/bench/hash.ts.
 */

import { toBytes, type BytesLike } from './bytes.ts';

/** Compresses every whole 64-byte block of `m[p..end)` into `s`; returns the first offset not consumed. */
function compress(s: Int32Array, m: Uint8Array, p: number, end: number): number {
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  for (; p + 64 <= end; p += 64) {
    const x0 = m[p]! | (m[p + 1]! << 8) | (m[p + 2]! << 16) | (m[p + 3]! << 24);
    const x1 = m[p + 4]! | (m[p + 5]! << 8) | (m[p + 6]! << 16) | (m[p + 7]! << 24);
    const x2 = m[p + 8]! | (m[p + 9]! << 8) | (m[p + 10]! << 16) | (m[p + 11]! << 24);
    const x3 = m[p + 12]! | (m[p + 13]! << 8) | (m[p + 14]! << 16) | (m[p + 15]! << 24);
    const x4 = m[p + 16]! | (m[p + 17]! << 8) | (m[p + 18]! << 16) | (m[p + 19]! << 24);
    const x5 = m[p + 20]! | (m[p + 21]! << 8) | (m[p + 22]! << 16) | (m[p + 23]! << 24);
    const x6 = m[p + 24]! | (m[p + 25]! << 8) | (m[p + 26]! << 16) | (m[p + 27]! << 24);
    const x7 = m[p + 28]! | (m[p + 29]! << 8) | (m[p + 30]! << 16) | (m[p + 31]! << 24);
    const x8 = m[p + 32]! | (m[p + 33]! << 8) | (m[p + 34]! << 16) | (m[p + 35]! << 24);
    const x9 = m[p + 36]! | (m[p + 37]! << 8) | (m[p + 38]! << 16) | (m[p + 39]! << 24);
    const x10 = m[p + 40]! | (m[p + 41]! << 8) | (m[p + 42]! << 16) | (m[p + 43]! << 24);
    const x11 = m[p + 44]! | (m[p + 45]! << 8) | (m[p + 46]! << 16) | (m[p + 47]! << 24);
    const x12 = m[p + 48]! | (m[p + 49]! << 8) | (m[p + 50]! << 16) | (m[p + 51]! << 24);
    const x13 = m[p + 52]! | (m[p + 53]! << 8) | (m[p + 54]! << 16) | (m[p + 55]! << 24);
    const x14 = m[p + 56]! | (m[p + 57]! << 8) | (m[p + 58]! << 16) | (m[p + 59]! << 24);
    const x15 = m[p + 60]! | (m[p + 61]! << 8) | (m[p + 62]! << 16) | (m[p + 63]! << 24);
    const a0 = a;
    const b0 = b;
    const c0 = c;
    const d0 = d;
    a = (a + (d ^ (b & (c ^ d))) + x0 + -680876936) | 0;
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = (d + (c ^ (a & (b ^ c))) + x1 + -389564586) | 0;
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = (c + (b ^ (d & (a ^ b))) + x2 + 606105819) | 0;
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = (b + (a ^ (c & (d ^ a))) + x3 + -1044525330) | 0;
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = (a + (d ^ (b & (c ^ d))) + x4 + -176418897) | 0;
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = (d + (c ^ (a & (b ^ c))) + x5 + 1200080426) | 0;
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = (c + (b ^ (d & (a ^ b))) + x6 + -1473231341) | 0;
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = (b + (a ^ (c & (d ^ a))) + x7 + -45705983) | 0;
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = (a + (d ^ (b & (c ^ d))) + x8 + 1770035416) | 0;
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = (d + (c ^ (a & (b ^ c))) + x9 + -1958414417) | 0;
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = (c + (b ^ (d & (a ^ b))) + x10 + -42063) | 0;
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = (b + (a ^ (c & (d ^ a))) + x11 + -1990404162) | 0;
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = (a + (d ^ (b & (c ^ d))) + x12 + 1804603682) | 0;
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = (d + (c ^ (a & (b ^ c))) + x13 + -40341101) | 0;
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = (c + (b ^ (d & (a ^ b))) + x14 + -1502002290) | 0;
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = (b + (a ^ (c & (d ^ a))) + x15 + 1236535329) | 0;
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = (a + (c ^ (d & (b ^ c))) + x1 + -165796510) | 0;
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = (d + (b ^ (c & (a ^ b))) + x6 + -1069501632) | 0;
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = (c + (a ^ (b & (d ^ a))) + x11 + 643717713) | 0;
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = (b + (d ^ (a & (c ^ d))) + x0 + -373897302) | 0;
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = (a + (c ^ (d & (b ^ c))) + x5 + -701558691) | 0;
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = (d + (b ^ (c & (a ^ b))) + x10 + 38016083) | 0;
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = (c + (a ^ (b & (d ^ a))) + x15 + -660478335) | 0;
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = (b + (d ^ (a & (c ^ d))) + x4 + -405537848) | 0;
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = (a + (c ^ (d & (b ^ c))) + x9 + 568446438) | 0;
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = (d + (b ^ (c & (a ^ b))) + x14 + -1019803690) | 0;
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = (c + (a ^ (b & (d ^ a))) + x3 + -187363961) | 0;
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = (b + (d ^ (a & (c ^ d))) + x8 + 1163531501) | 0;
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = (a + (c ^ (d & (b ^ c))) + x13 + -1444681467) | 0;
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = (d + (b ^ (c & (a ^ b))) + x2 + -51403784) | 0;
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = (c + (a ^ (b & (d ^ a))) + x7 + 1735328473) | 0;
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = (b + (d ^ (a & (c ^ d))) + x12 + -1926607734) | 0;
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = (a + (b ^ c ^ d) + x5 + -378558) | 0;
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = (d + (a ^ b ^ c) + x8 + -2022574463) | 0;
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = (c + (d ^ a ^ b) + x11 + 1839030562) | 0;
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = (b + (c ^ d ^ a) + x14 + -35309556) | 0;
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = (a + (b ^ c ^ d) + x1 + -1530992060) | 0;
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = (d + (a ^ b ^ c) + x4 + 1272893353) | 0;
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = (c + (d ^ a ^ b) + x7 + -155497632) | 0;
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = (b + (c ^ d ^ a) + x10 + -1094730640) | 0;
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = (a + (b ^ c ^ d) + x13 + 681279174) | 0;
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = (d + (a ^ b ^ c) + x0 + -358537222) | 0;
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = (c + (d ^ a ^ b) + x3 + -722521979) | 0;
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = (b + (c ^ d ^ a) + x6 + 76029189) | 0;
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = (a + (b ^ c ^ d) + x9 + -640364487) | 0;
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = (d + (a ^ b ^ c) + x12 + -421815835) | 0;
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = (c + (d ^ a ^ b) + x15 + 530742520) | 0;
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = (b + (c ^ d ^ a) + x2 + -995338651) | 0;
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = (a + (c ^ (b | ~d)) + x0 + -198630844) | 0;
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = (d + (b ^ (a | ~c)) + x7 + 1126891415) | 0;
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = (c + (a ^ (d | ~b)) + x14 + -1416354905) | 0;
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = (b + (d ^ (c | ~a)) + x5 + -57434055) | 0;
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = (a + (c ^ (b | ~d)) + x12 + 1700485571) | 0;
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = (d + (b ^ (a | ~c)) + x3 + -1894986606) | 0;
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = (c + (a ^ (d | ~b)) + x10 + -1051523) | 0;
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = (b + (d ^ (c | ~a)) + x1 + -2054922799) | 0;
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = (a + (c ^ (b | ~d)) + x8 + 1873313359) | 0;
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = (d + (b ^ (a | ~c)) + x15 + -30611744) | 0;
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = (c + (a ^ (d | ~b)) + x6 + -1560198380) | 0;
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = (b + (d ^ (c | ~a)) + x13 + 1309151649) | 0;
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = (a + (c ^ (b | ~d)) + x4 + -145523070) | 0;
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = (d + (b ^ (a | ~c)) + x11 + -1120210379) | 0;
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = (c + (a ^ (d | ~b)) + x2 + 718787259) | 0;
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = (b + (d ^ (c | ~a)) + x9 + -343485551) | 0;
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = (a + a0) | 0;
    b = (b + b0) | 0;
    c = (c + c0) | 0;
    d = (d + d0) | 0;
  }
  s[0] = a;
  s[1] = b;
  s[2] = c;
  s[3] = d;
  return p;
}

const INIT = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476];

/** Incremental MD5. `digestHex`/`digestBase64` do not end the hash: more `update`s may follow. */
export class Md5 {
  private readonly state = Int32Array.from(INIT);
  /** Bytes of a block not yet compressed; only `buffered` of them are meaningful. */
  private readonly block = new Uint8Array(64);
  private buffered = 0;
  /** Total bytes seen; a double stays exact up to 2^53, far past any object COS stores. */
  private length = 0;

  update(chunk: BytesLike): this {
    const m = toBytes(chunk);
    const n = m.length;
    this.length += n;
    let p = 0;
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, n);
      this.block.set(m.subarray(0, take), this.buffered);
      this.buffered += take;
      p = take;
      if (this.buffered < 64) return this;
      compress(this.state, this.block, 0, 64);
      this.buffered = 0;
    }
    p = compress(this.state, m, p, n);
    if (p < n) {
      this.block.set(m.subarray(p), 0);
      this.buffered = n - p;
    }
    return this;
  }

  /** The 16 digest bytes. */
  digest(): Uint8Array {
    const s = Int32Array.from(this.state);
    const tail = new Uint8Array(this.buffered < 56 ? 64 : 128);
    tail.set(this.block.subarray(0, this.buffered));
    tail[this.buffered] = 0x80;
    const bits = this.length * 8;
    const lo = bits % 0x100000000;
    const hi = Math.floor(bits / 0x100000000);
    const at = tail.length - 8;
    for (let i = 0; i < 4; i++) {
      tail[at + i] = (lo >>> (8 * i)) & 0xff;
      tail[at + 4 + i] = (hi >>> (8 * i)) & 0xff;
    }
    compress(s, tail, 0, tail.length);
    const out = new Uint8Array(16);
    for (let i = 0; i < 16; i++) out[i] = (s[i >> 2]! >>> (8 * (i & 3))) & 0xff;
    return out;
  }

  /** Lowercase hex, the form of a simple-upload ETag. */
  digestHex(): string {
    let hex = '';
    for (const byte of this.digest()) hex += byte.toString(16).padStart(2, '0');
    return hex;
  }

  /** Base64, the form of the `Content-MD5` header. */
  digestBase64(): string {
    return btoa(String.fromCharCode(...this.digest()));
  }
}

/** Lowercase hex MD5; strings are hashed as UTF-8. */
export function md5Hex(data: BytesLike | string): string {
  return new Md5().update(toBytes(data)).digestHex();
}

/** Base64 MD5 (the `Content-MD5` value); strings are hashed as UTF-8. */
export function md5Base64(data: BytesLike | string): string {
  return new Md5().update(toBytes(data)).digestBase64();
}
