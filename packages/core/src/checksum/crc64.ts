/**
 * CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones): the COS `x-cos-hash-crc64ecma` value, as an
 * unsigned decimal string.
 *
 * The hot loop works on the register as two 32-bit halves with slicing-by-16 tables, because JS has no fast 64-bit
 * integers: a BigInt table per byte runs 30-40 times slower (test/bench/hash.ts). `crc64Combine` runs once per part
 * and uses BigInt.
 *
 * hash-wasm's WASM CRC-64 measured about 2x faster, but its hashers are created asynchronously, so it cannot sit behind
 * this synchronous API; a worker that prefers it can still feed its CRC strings to `crc64Combine`.
 */

import { toBytes, type BytesLike } from './bytes.ts';

/** ECMA-182 polynomial 0x42F0E1EBA9EA3693 bit-reversed, as halves. */
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;

/** Bytes per step of the main loop; table k (0..SLICES-1) is the CRC of a byte followed by k zero bytes. */
const SLICES = 16;
/** `k * 256 + byte`, low and high halves. */
let tableLo: Int32Array | undefined;
let tableHi: Int32Array | undefined;
/** Whole words are read through an Int32Array, which sees bytes in platform order; the tables assume little-endian. */
let littleEndian = true;

function buildTables(): void {
  const lo = new Int32Array(SLICES * 256);
  const hi = new Int32Array(SLICES * 256);
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = (l >>> 1) | ((h & 1) << 31);
      h >>>= 1;
      if (carry) {
        l ^= POLY_LO;
        h ^= POLY_HI;
      }
    }
    lo[n] = l;
    hi[n] = h;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let n = 0; n < 256; n++) {
      const pl = lo[(k - 1) * 256 + n]!;
      const ph = hi[(k - 1) * 256 + n]!;
      const i = pl & 0xff;
      lo[k * 256 + n] = ((pl >>> 8) | (ph << 24)) ^ lo[i]!;
      hi[k * 256 + n] = (ph >>> 8) ^ hi[i]!;
    }
  }
  littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  tableLo = lo;
  tableHi = hi;
}

/** Incremental CRC-64/XZ. `digest` does not end the computation: more `update`s may follow. */
export class Crc64 {
  /** The register, i.e. the CRC before the final complement, as signed 32-bit halves. */
  private lo = -1;
  private hi = -1;

  /** @param initial a CRC already computed over the preceding bytes, to continue from (decimal string). */
  constructor(initial?: string) {
    if (initial !== undefined) {
      const v = parseCrc(initial);
      this.lo = ~Number(v & 0xffffffffn);
      this.hi = ~Number(v >> 32n);
    }
  }

  update(chunk: BytesLike | string): this {
    if (!tableLo) buildTables();
    const TL = tableLo!;
    const TH = tableHi!;
    const m = toBytes(chunk);
    const n = m.length;
    let l = this.lo;
    let h = this.hi;
    let p = 0;
    // Slicing-by-16 over 4-byte-aligned words: measured faster than slicing-by-8 and than byte-assembled words in
    // V8 (Node 20, Chromium); bytes before the first aligned word and after the last 16-byte step go one at a time.
    const head = littleEndian ? Math.min(n, (4 - (m.byteOffset & 3)) & 3) : n;
    for (; p < head; p++) {
      const i = (l ^ m[p]!) & 0xff;
      l = ((l >>> 8) | (h << 24)) ^ TL[i]!;
      h = (h >>> 8) ^ TH[i]!;
    }
    if (p < n) {
      const w = new Int32Array(m.buffer, m.byteOffset + p, (n - p) >>> 2);
      const steps = w.length & ~3;
      for (let j = 0; j < steps; j += 4) {
        l ^= w[j]!;
        h ^= w[j + 1]!;
        const c = w[j + 2]!;
        const d = w[j + 3]!;
        const i15 = 3840 + (l & 0xff);
        const i14 = 3584 + ((l >>> 8) & 0xff);
        const i13 = 3328 + ((l >>> 16) & 0xff);
        const i12 = 3072 + (l >>> 24);
        const i11 = 2816 + (h & 0xff);
        const i10 = 2560 + ((h >>> 8) & 0xff);
        const i9 = 2304 + ((h >>> 16) & 0xff);
        const i8 = 2048 + (h >>> 24);
        const i7 = 1792 + (c & 0xff);
        const i6 = 1536 + ((c >>> 8) & 0xff);
        const i5 = 1280 + ((c >>> 16) & 0xff);
        const i4 = 1024 + (c >>> 24);
        const i3 = 768 + (d & 0xff);
        const i2 = 512 + ((d >>> 8) & 0xff);
        const i1 = 256 + ((d >>> 16) & 0xff);
        const i0 = d >>> 24;
        l =
          TL[i15]! ^ TL[i14]! ^ TL[i13]! ^ TL[i12]! ^ TL[i11]! ^ TL[i10]! ^ TL[i9]! ^ TL[i8]! ^
          TL[i7]! ^ TL[i6]! ^ TL[i5]! ^ TL[i4]! ^ TL[i3]! ^ TL[i2]! ^ TL[i1]! ^ TL[i0]!;
        h =
          TH[i15]! ^ TH[i14]! ^ TH[i13]! ^ TH[i12]! ^ TH[i11]! ^ TH[i10]! ^ TH[i9]! ^ TH[i8]! ^
          TH[i7]! ^ TH[i6]! ^ TH[i5]! ^ TH[i4]! ^ TH[i3]! ^ TH[i2]! ^ TH[i1]! ^ TH[i0]!;
      }
      p += steps * 4;
    }
    for (; p < n; p++) {
      const i = (l ^ m[p]!) & 0xff;
      l = ((l >>> 8) | (h << 24)) ^ TL[i]!;
      h = (h >>> 8) ^ TH[i]!;
    }
    this.lo = l;
    this.hi = h;
    return this;
  }

  /** The CRC so far as an unsigned decimal string (`"0"` for no bytes). */
  digest(): string {
    return ((BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0)).toString();
  }
}

/**
 * CRC-64/XZ of `data` as an unsigned decimal string; strings are hashed as UTF-8.
 * @param previous the CRC of the bytes before `data`, to continue from.
 */
export function crc64(data: BytesLike | string, previous?: string): string {
  return new Crc64(previous).update(data).digest();
}

const MASK64 = 0xffffffffffffffffn;
const POLY = 0xc96c5795d7870f42n;
/** x^0 in the reflected representation. */
const ONE = 1n << 63n;

function parseCrc(crc: string): bigint {
  const v = BigInt(crc);
  if (v < 0n || v > MASK64) throw new RangeError(`not an unsigned 64-bit CRC: ${crc}`);
  return v;
}

/** a(x) * b(x) mod P(x), both reflected (zlib's multmodp). */
function multModP(a: bigint, b: bigint): bigint {
  let m = ONE;
  let p = 0n;
  while (m) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ POLY : b >> 1n;
  }
  return p;
}

/** x^(2^k) mod P(x) for k = 0..63, so x^(8n) needs one product per set bit of n. */
let x2n: bigint[] | undefined;

function x2nTable(): bigint[] {
  if (!x2n) {
    x2n = [];
    let p = ONE >> 1n; // x^1
    for (let k = 0; k < 64; k++) {
      x2n.push(p);
      p = multModP(p, p);
    }
  }
  return x2n;
}

/** Parts of one upload share a size, so the last operator is kept: folding 10,000 parts then costs one build. */
let lastLen = -1;
let lastOperator = ONE;

/** x^(8 * len) mod P(x). */
function zerosOperator(len: number): bigint {
  if (len !== lastLen) {
    const table = x2nTable();
    let op = ONE;
    let k = 3;
    for (let n = len; n > 0; n = Math.floor(n / 2), k++) {
      // len < 2^53 keeps k below 64, so the table never wraps.
      if (n % 2) op = multModP(table[k]!, op);
    }
    lastLen = len;
    lastOperator = op;
  }
  return lastOperator;
}

/**
 * The CRC of the concatenation A‖B from `crc1` = CRC(A), `crc2` = CRC(B) and `len2` = |B| in bytes, without the bytes
 * (zlib's crc32_combine, for 64 bits). This is how a multipart object's CRC follows from its parts' CRCs.
 */
export function crc64Combine(crc1: string, crc2: string, len2: number): string {
  if (!Number.isSafeInteger(len2) || len2 < 0) throw new RangeError(`len2 must be a safe non-negative integer: ${len2}`);
  const c1 = parseCrc(crc1);
  const c2 = parseCrc(crc2);
  if (len2 === 0) return c1.toString();
  // Multiplying crc1 by x^(8 * len2) appends len2 zero bytes; init and xorout are equal, so they cancel out.
  return (multModP(zerosOperator(len2), c1) ^ c2).toString();
}
