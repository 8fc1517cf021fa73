import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Crc64, crc64, crc64Combine } from '../src/crc64.ts';
import { refCrc64 } from './support/signer.ts';

describe('emulator CRC-64/XZ (slicing-by-8)', () => {
  it('matches the check value and a bit-by-bit BigInt reference at every length 0..80 and odd offsets', () => {
    assert.equal(crc64('123456789').toString(16), '995dc9bbdf1939fa');
    const data = randomBytes(96);
    for (let start = 0; start < 8; start += 3) {
      for (let len = 0; len <= 80; len++) {
        const slice = data.subarray(start, start + len);
        assert.equal(crc64(slice), refCrc64(slice), `offset ${start} length ${len}`);
      }
    }
  });

  it('gives the same value however the bytes are chunked, and combines', () => {
    const data = randomBytes(64 * 1024 + 13);
    const whole = crc64(data);
    for (const step of [1, 7, 8, 9, 4099, 65536]) {
      const c = new Crc64();
      for (let i = 0; i < data.length; i += step) c.update(data.subarray(i, i + step));
      assert.equal(c.value, whole, `chunks of ${step}`);
    }
    const cut = 5003;
    assert.equal(crc64Combine(crc64(data.subarray(0, cut)), crc64(data.subarray(cut)), data.length - cut), whole);
  });
});
