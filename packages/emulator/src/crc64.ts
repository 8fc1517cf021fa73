/**
 * CRC-64/XZ (ECMA-182 reflected), the algorithm behind `x-cos-hash-crc64ecma`.
 * Kept separate from @coskit/core on purpose: a shared bug would be invisible to the tests.
 */
const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;

// The 64-bit register is held as two uint32 halves: BigInt per byte is ~50x slower.
const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const lsb = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (lsb) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TABLE_LO[n] = lo;
  TABLE_HI[n] = hi;
}

/** Incremental CRC-64 state: feed chunks, read `value` (unsigned decimal string via `toString()`). */
export class Crc64 {
  // Register holds the pre-xorout (inverted) value.
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(chunk: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < chunk.length; i++) {
      const idx = (lo ^ chunk[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  get value(): bigint {
    return (BigInt((~this.hi) >>> 0) << 32n) | BigInt((~this.lo) >>> 0);
  }
}

export function crc64(data: Uint8Array | string): bigint {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return new Crc64().update(bytes).value;
}

const MASK = 0xffffffffffffffffn;
const POLY = 0xc96c5795d7870f42n;

function gf2Times(mat: bigint[], vec: bigint): bigint {
  let sum = 0n;
  let i = 0;
  while (vec !== 0n) {
    if (vec & 1n) sum ^= mat[i]!;
    vec >>= 1n;
    i++;
  }
  return sum;
}

function gf2Square(square: bigint[], mat: bigint[]): void {
  for (let n = 0; n < 64; n++) square[n] = gf2Times(mat, mat[n]!);
}

/**
 * CRC of A||B from crc(A), crc(B) and len(B): zlib's crc32_combine adapted to 64 bits.
 * This is how the server derives the multipart object CRC without re-reading the parts.
 */
export function crc64Combine(crc1: bigint, crc2: bigint, len2: number): bigint {
  if (len2 <= 0) return crc1;
  const even: bigint[] = new Array<bigint>(64).fill(0n);
  const odd: bigint[] = new Array<bigint>(64).fill(0n);
  odd[0] = POLY; // operator for one zero bit
  let row = 1n;
  for (let n = 1; n < 64; n++) {
    odd[n] = row;
    row <<= 1n;
  }
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four zero bits
  let c1 = crc1 & MASK;
  let len = BigInt(len2);
  do {
    gf2Square(even, odd);
    if (len & 1n) c1 = gf2Times(even, c1);
    len >>= 1n;
    if (len === 0n) break;
    gf2Square(odd, even);
    if (len & 1n) c1 = gf2Times(odd, c1);
    len >>= 1n;
  } while (len !== 0n);
  return (c1 ^ crc2) & MASK;
}
