/**
 * MD5 (RFC 1321) for `Content-MD5` and ETag checks, in plain TypeScript.
 *
 * Synchronous and dependency-free on purpose: it runs the same in a Web Worker, on the main thread and from any
 * bundle (no WASM to fetch or compile, and Chromium refuses to compile WASM over 4 KB synchronously on the main
 * thread). It keeps the state in locals, reads whole words through Int32Array views and never allocates per block,
 * which is what makes it faster than spark-md5. Numbers: test/bench/hash.ts.
 */

import { toBytes, type BytesLike } from './bytes.ts';

/** Compresses the 64-byte blocks `w[q..end)` (16 little-endian words each) into `s`. */
function compress(s: Int32Array, w: Int32Array, q: number, end: number): void {
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  for (; q < end; q += 16) {
    const x0 = w[q + 0]!;
    const x1 = w[q + 1]!;
    const x2 = w[q + 2]!;
    const x3 = w[q + 3]!;
    const x4 = w[q + 4]!;
    const x5 = w[q + 5]!;
    const x6 = w[q + 6]!;
    const x7 = w[q + 7]!;
    const x8 = w[q + 8]!;
    const x9 = w[q + 9]!;
    const x10 = w[q + 10]!;
    const x11 = w[q + 11]!;
    const x12 = w[q + 12]!;
    const x13 = w[q + 13]!;
    const x14 = w[q + 14]!;
    const x15 = w[q + 15]!;
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
}

const INIT = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476];

/** Unaligned input is copied here first: a memcpy costs far less than assembling every word from four bytes. */
let scratch: Uint8Array | undefined;
let scratchWords: Int32Array | undefined;
const SCRATCH_BYTES = 16384;
/** Words are read through Int32Array views, which see bytes in platform order; MD5 wants little-endian. */
let littleEndian: boolean | undefined;

function isLittleEndian(): boolean {
  return (littleEndian ??= new Uint8Array(new Uint32Array([1]).buffer)[0] === 1);
}

function swapWords(w: Int32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const v = w[i]!;
    w[i] = (v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24);
  }
}

/** Compresses whole blocks of `m` (length a multiple of 64), wherever they sit in memory. */
function compressBytes(s: Int32Array, m: Uint8Array): void {
  if (isLittleEndian() && (m.byteOffset & 3) === 0) {
    compress(s, new Int32Array(m.buffer, m.byteOffset, m.length >>> 2), 0, m.length >>> 2);
    return;
  }
  scratch ??= new Uint8Array(SCRATCH_BYTES);
  scratchWords ??= new Int32Array(scratch.buffer);
  for (let p = 0; p < m.length; p += SCRATCH_BYTES) {
    const piece = m.subarray(p, p + SCRATCH_BYTES);
    scratch.set(piece);
    if (!isLittleEndian()) swapWords(scratchWords, piece.length >>> 2);
    compress(s, scratchWords, 0, piece.length >>> 2);
  }
}

/** Incremental MD5. `digestHex`/`digestBase64` do not end the hash: more `update`s may follow. */
export class Md5 {
  private readonly state = Int32Array.from(INIT);
  /** Bytes of a block not yet compressed; only `buffered` of them are meaningful. */
  private readonly block = new Uint8Array(64);
  private buffered = 0;
  /** Total bytes seen; a double stays exact up to 2^53, far past any object COS stores. */
  private length = 0;

  update(chunk: BytesLike | string): this {
    const m = toBytes(chunk);
    const n = m.length;
    this.length += n;
    let p = 0;
    if (this.buffered > 0) {
      p = Math.min(64 - this.buffered, n);
      this.block.set(m.subarray(0, p), this.buffered);
      this.buffered += p;
      if (this.buffered < 64) return this;
      compressBytes(this.state, this.block);
      this.buffered = 0;
    }
    const whole = (n - p) & ~63;
    if (whole > 0) compressBytes(this.state, m.subarray(p, p + whole));
    p += whole;
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
    compressBytes(s, tail);
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
