import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createCRC64 } from 'hash-wasm';
import SparkMD5 from 'spark-md5';
import { crc64, Crc64, crc64Combine, md5Base64, md5Hex, Md5 } from '../src/checksum/index.ts';

/** mulberry32, seeded so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261121);
const int = (n: number) => Math.floor(rand() * n);
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(256);
  return out;
}
/** Cuts `data` at random points (empty pieces included). */
function randomChunks(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < data.length) {
    const r = rand();
    const len = r < 0.1 ? 0 : r < 0.5 ? int(9) : r < 0.9 ? int(200) : int(data.length);
    out.push(data.subarray(p, Math.min(data.length, p + len)));
    p += len;
  }
  out.push(data.subarray(data.length));
  return out;
}
const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Bit-at-a-time CRC-64/XZ with BigInt: slow, obviously right, independent of the tables. */
function crc64Reference(data: Uint8Array): string {
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ 0xc96c5795d7870f42n : crc >> 1n;
  }
  return (crc ^ 0xffffffffffffffffn).toString();
}

const MiB = 1 << 20;
const oneMiBofA = new Uint8Array(MiB).fill(0x61);

describe('crc64: cos-protocol.md §5 vectors', () => {
  test('"123456789" (the CRC-64/XZ check value)', () => {
    assert.equal(crc64('123456789'), '11051210869376104954');
    assert.equal(BigInt(crc64('123456789')), 0x995dc9bbdf1939fan);
  });
  test('empty input', () => {
    assert.equal(crc64(''), '0');
    assert.equal(crc64(new Uint8Array(0)), '0');
    assert.equal(new Crc64().digest(), '0');
  });
  test('"hello world"', () => assert.equal(crc64('hello world'), '5981764153023615706'));
  test('1 MiB of "a"', () => assert.equal(crc64(oneMiBofA), '6701094182323390671'));
  test('1 MiB of "a" then "hello world": concatenated, incremental, continued and combined', () => {
    const expected = '4195052129826024505';
    const tail = new TextEncoder().encode('hello world');
    assert.equal(crc64(concat(oneMiBofA, tail)), expected);
    assert.equal(new Crc64().update(oneMiBofA).update(tail).digest(), expected);
    assert.equal(crc64(tail, crc64(oneMiBofA)), expected);
    assert.equal(crc64Combine('6701094182323390671', '5981764153023615706', 11), expected);
  });
});

describe('crc64: inputs and incremental use', () => {
  test('matches the bit-at-a-time reference on random data of every small length', () => {
    for (let n = 0; n < 300; n++) {
      const data = randomBytes(n);
      assert.equal(crc64(data), crc64Reference(data), `length ${n}`);
    }
  });

  test('every alignment of the input and of the chunk ends gives the same CRC', () => {
    const data = randomBytes(600);
    for (let offset = 0; offset < 8; offset++) {
      for (const len of [0, 1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 200, 511, 592]) {
        const view = data.subarray(offset, offset + len);
        assert.equal(crc64(view), crc64Reference(view), `offset ${offset} length ${len}`);
      }
    }
  });

  test('accepts ArrayBuffer, any ArrayBufferView (with offsets) and UTF-8 strings', () => {
    const bytes = randomBytes(1000);
    const expected = crc64(bytes);
    assert.equal(crc64(bytes.slice().buffer), expected);
    const padded = new Uint8Array(1003);
    padded.set(bytes, 3);
    assert.equal(crc64(padded.subarray(3)), expected);
    assert.equal(crc64(new DataView(padded.buffer, 3, 1000)), expected);
    const aligned = new Uint8Array(1000 + 8);
    aligned.set(bytes, 8);
    assert.equal(crc64(new Uint16Array(aligned.buffer, 8, 500)), expected);
    assert.equal(crc64('腾讯云 😀'), crc64(new TextEncoder().encode('腾讯云 😀')));
  });

  test('incremental equals one-shot across random chunkings', () => {
    for (let round = 0; round < 100; round++) {
      const data = randomBytes(int(5000));
      const h = new Crc64();
      for (const chunk of randomChunks(data)) h.update(chunk);
      assert.equal(h.digest(), crc64(data), `round ${round}`);
    }
  });

  test('digest does not end the hash, and a Crc64 can continue from a previous CRC', () => {
    const a = randomBytes(777);
    const b = randomBytes(333);
    const h = new Crc64().update(a);
    assert.equal(h.digest(), crc64(a));
    assert.equal(h.update(b).digest(), crc64(concat(a, b)));
    assert.equal(new Crc64(crc64(a)).update(b).digest(), crc64(concat(a, b)));
  });

  test('agrees with hash-wasm crc64 (default ECMA parameters) on random data', async () => {
    const hw = await createCRC64();
    for (let round = 0; round < 20; round++) {
      const data = randomBytes(int(100_000));
      hw.init();
      hw.update(data);
      assert.equal(crc64(data), BigInt(`0x${hw.digest()}`).toString());
    }
  });

  test('rejects CRC strings that are not unsigned 64-bit', () => {
    assert.throws(() => new Crc64('-1'), RangeError);
    assert.throws(() => new Crc64('18446744073709551616'), RangeError);
    assert.throws(() => crc64Combine('1', 'x', 1), SyntaxError);
  });
});

describe('crc64Combine', () => {
  test('equals the CRC of the concatenation for random splits, empty parts included', () => {
    for (let round = 0; round < 200; round++) {
      const data = randomBytes(int(3000));
      const cut = rand() < 0.15 ? (rand() < 0.5 ? 0 : data.length) : int(data.length + 1);
      const a = data.subarray(0, cut);
      const b = data.subarray(cut);
      assert.equal(crc64Combine(crc64(a), crc64(b), b.length), crc64(data), `cut ${cut} of ${data.length}`);
    }
  });

  test('folds over many parts like a multipart Complete', () => {
    const data = randomBytes(200_000);
    let acc = crc64(new Uint8Array(0));
    let p = 0;
    while (p < data.length) {
      const part = data.subarray(p, p + 1 + int(20_000));
      acc = crc64Combine(acc, crc64(part), part.length);
      p += part.length;
    }
    assert.equal(acc, crc64(data));
  });

  test('equal-size parts (the usual multipart case) interleaved with other lengths', () => {
    const data = randomBytes(64 * 1000 + 123);
    let acc = '0';
    let other = '0';
    for (let p = 0; p < data.length; p += 1000) {
      const part = data.subarray(p, p + 1000);
      acc = crc64Combine(acc, crc64(part), part.length);
      // A combine with another length in between must not disturb the next equal-size one.
      other = crc64Combine(other, crc64(part.subarray(0, 7)), 7);
    }
    assert.equal(acc, crc64(data));
    let expectedOther = new Crc64();
    for (let p = 0; p < data.length; p += 1000) expectedOther = expectedOther.update(data.subarray(p, p + 7));
    assert.equal(other, expectedOther.digest());
  });

  test('len2 = 0 returns crc1', () => {
    assert.equal(crc64Combine('11051210869376104954', '0', 0), '11051210869376104954');
  });

  test('large len2 (past 2^32): zero runs built by doubling agree with every other split', () => {
    // CRC of 2^k zero bytes by doubling from 1 MiB computed directly; then 2^33 + 2^20 + 1 zeros split three ways.
    const zeros = new Map<number, string>([[MiB, crc64(new Uint8Array(MiB))]]);
    for (let n = MiB; n < 2 ** 40; n *= 2) zeros.set(n * 2, crc64Combine(zeros.get(n)!, zeros.get(n)!, n));
    const z = (n: number) => zeros.get(n)!;
    const one = crc64(new Uint8Array(1));
    const total = 2 ** 33 + MiB + 1;
    const x = crc64Combine(crc64Combine(z(2 ** 33), z(MiB), MiB), one, 1);
    const y = crc64Combine(z(2 ** 33), crc64Combine(z(MiB), one, 1), MiB + 1);
    const w = crc64Combine(crc64Combine(z(MiB), one, 1), z(2 ** 33), 2 ** 33);
    assert.equal(x, y);
    assert.equal(x, w); // zeros commute
    // A prefix followed by `total` zeros: combine with the zero run's CRC, and via continuing a Crc64 on small data.
    const prefix = randomBytes(1234);
    const viaCombine = crc64Combine(crc64(prefix), x, total);
    const viaPieces = crc64Combine(crc64Combine(crc64Combine(crc64(prefix), z(2 ** 33), 2 ** 33), z(MiB), MiB), one, 1);
    assert.equal(viaCombine, viaPieces);
    // 2^40 zeros folded as 2^39 + 2^39 and as 2^38 + (2^38 + 2^39).
    assert.equal(z(2 ** 40), crc64Combine(z(2 ** 38), crc64Combine(z(2 ** 38), z(2 ** 39), 2 ** 39), 2 ** 39 + 2 ** 38));
    assert.equal(crc64Combine('0', '0', 2 ** 53 - 1).length > 0, true);
    assert.throws(() => crc64Combine('0', '0', 2 ** 53), RangeError);
    assert.throws(() => crc64Combine('0', '0', -1), RangeError);
  });

  test('small zero runs through combine match direct computation (the same path large lengths take)', () => {
    for (const n of [1, 7, 8, 9, 255, 256, 4096, 65537]) {
      const prefix = randomBytes(int(100));
      const zerosN = new Uint8Array(n);
      assert.equal(crc64Combine(crc64(prefix), crc64(zerosN), n), crc64(concat(prefix, zerosN)), `n ${n}`);
    }
  });
});

describe('md5', () => {
  // RFC 1321, appendix A.5.
  const rfc: Array<[string, string]> = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
  ];
  for (const [input, hex] of rfc) {
    test(`RFC 1321: "${input.length > 20 ? `${input.slice(0, 20)}…` : input}"`, () => {
      assert.equal(md5Hex(input), hex);
      assert.equal(md5Base64(input), Buffer.from(hex, 'hex').toString('base64'));
    });
  }

  test('Content-MD5 of the doc sample body', () => {
    // Doc 7778's PUT sends 13 bytes with Content-MD5 mQ/fVh815F3k6TAUm8m0eg==; "ObjectContent" is that body.
    assert.equal(md5Base64('ObjectContent'), 'mQ/fVh815F3k6TAUm8m0eg==');
  });

  test('matches node:crypto around every padding boundary and on larger random data', () => {
    for (let n = 0; n < 300; n++) {
      const data = randomBytes(n);
      assert.equal(md5Hex(data), createHash('md5').update(data).digest('hex'), `length ${n}`);
    }
    const big = randomBytes(3 * MiB + 17);
    assert.equal(md5Hex(big), createHash('md5').update(big).digest('hex'));
    // Unaligned views go through the copy buffer, several pieces of it here.
    for (const offset of [1, 2, 3]) {
      const view = big.subarray(offset, offset + 100_000);
      assert.equal(md5Hex(view), createHash('md5').update(view).digest('hex'), `offset ${offset}`);
    }
  });

  test('incremental equals one-shot across random chunkings; digests do not end the hash', () => {
    for (let round = 0; round < 100; round++) {
      const data = randomBytes(int(5000));
      const h = new Md5();
      for (const chunk of randomChunks(data)) h.update(chunk);
      const expected = createHash('md5').update(data).digest();
      assert.equal(h.digestHex(), expected.toString('hex'));
      assert.equal(h.digestBase64(), expected.toString('base64'));
    }
    const h = new Md5().update(new TextEncoder().encode('ab'));
    assert.equal(h.digestHex(), md5Hex('ab'));
    assert.equal(h.update(new TextEncoder().encode('c')).digestHex(), md5Hex('abc'));
  });

  test('accepts ArrayBuffer and views with offsets; agrees with spark-md5', () => {
    const bytes = randomBytes(10_000);
    const padded = new Uint8Array(10_005);
    padded.set(bytes, 5);
    const expected = SparkMD5.ArrayBuffer.hash(bytes.slice().buffer);
    assert.equal(md5Hex(bytes.slice().buffer), expected);
    assert.equal(md5Hex(padded.subarray(5)), expected);
    assert.equal(md5Hex(new DataView(padded.buffer, 5, 10_000)), expected);
  });
});
