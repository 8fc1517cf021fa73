/**
 * CRC-64/XZ (ECMA-182 reflected), the algorithm behind `x-cos-hash-crc64ecma`.
 * Kept separate from @coskit/core on purpose: a shared bug would be invisible to the tests.
 */
const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;

// The 64-bit register is held as two uint32 halves: BigInt per byte is ~50x slower. Slicing-by-8: table k maps a
// byte to its CRC after k more zero bytes, so eight bytes cost eight lookups and no dependency chain per byte
// (~5x the bytewise loop; the emulator hashes every byte it stores).
const SLICES = 8;
const TABLE_LO = new Uint32Array(256 * SLICES);
const TABLE_HI = new Uint32Array(256 * SLICES);
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
for (let t = 1; t < SLICES; t++) {
  for (let n = 0; n < 256; n++) {
    const lo = TABLE_LO[(t - 1) * 256 + n]!;
    const hi = TABLE_HI[(t - 1) * 256 + n]!;
    const idx = lo & 0xff;
    TABLE_LO[t * 256 + n] = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!) >>> 0;
    TABLE_HI[t * 256 + n] = ((hi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
  }
}

/** Incremental CRC-64 state: feed chunks, read `value` (unsigned decimal string via `toString()`). */
export class Crc64 {
  // Register holds the pre-xorout (inverted) value.
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(chunk: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    const T_LO = TABLE_LO;
    const T_HI = TABLE_HI;
    const n = chunk.length;
    let i = 0;
    for (const end = n - (n % 8); i < end; i += 8) {
      const a = (lo ^ (chunk[i]! | (chunk[i + 1]! << 8) | (chunk[i + 2]! << 16) | (chunk[i + 3]! << 24))) >>> 0;
      const b = (hi ^ (chunk[i + 4]! | (chunk[i + 5]! << 8) | (chunk[i + 6]! << 16) | (chunk[i + 7]! << 24))) >>> 0;
      // Byte j of the 8-byte block still has 7 - j bytes to travel: table 7 - j.
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo = (T_LO[i7]! ^ T_LO[i6]! ^ T_LO[i5]! ^ T_LO[i4]! ^ T_LO[i3]! ^ T_LO[i2]! ^ T_LO[i1]! ^ T_LO[i0]!) >>> 0;
      hi = (T_HI[i7]! ^ T_HI[i6]! ^ T_HI[i5]! ^ T_HI[i4]! ^ T_HI[i3]! ^ T_HI[i2]! ^ T_HI[i1]! ^ T_HI[i0]!) >>> 0;
    }
    for (; i < n; i++) {
      const idx = (lo ^ chunk[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ T_LO[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ T_HI[idx]!) >>> 0;
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
