import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Crc64 } from '../crc64.ts';
import { CosError, err } from '../errors.ts';
import { type Ctx, header } from './context.ts';
import { dropConnection } from './respond.ts';
import { pacer } from './throttle.ts';

export const MAX_OBJECT_BYTES = 5 * 1024 ** 3;

/** Thrown when a fault (or the client) killed the connection: there is nobody left to answer. */
export class ConnectionDropped extends Error {
  override name = 'ConnectionDropped';
}

export interface Ingested {
  blob: string;
  size: number;
  /** MD5 hex of the stored bytes (the ETag). */
  md5: string;
  md5Raw: Buffer;
  crc64: bigint;
}

/** Validates a Content-MD5 header value before the body is read (malformed -> InvalidDigest). */
export function parseContentMd5(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const raw = Buffer.from(value, 'base64');
  if (raw.length !== 16 || raw.toString('base64') !== value.trim()) {
    throw new CosError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
  }
  return raw;
}

/** Declared body length; COS refuses bodies without one (411) and above the object limit. */
export function requireContentLength(ctx: Ctx, max = MAX_OBJECT_BYTES): number {
  const cl = header(ctx, 'content-length');
  if (cl === undefined || !/^\d+$/.test(cl)) {
    if (header(ctx, 'transfer-encoding')) throw err.missingContentLength();
    if (cl === undefined) throw err.missingContentLength();
    throw err.invalidArgument('Content-Length is not a number');
  }
  const n = Number(cl);
  if (n > max) throw err.entityTooLarge();
  return n;
}

/**
 * Streams a body into a new blob while hashing it, so no object or part is ever held in memory whole.
 * Applies the connection throttle and the body-side faults (`reset` mid-body, `corrupt` one byte).
 */
export async function ingest(
  ctx: Ctx,
  source: Readable,
  opts: { expectedLength?: number; contentMd5?: Buffer; maxBytes?: number },
): Promise<Ingested> {
  const maxBytes = opts.maxBytes ?? MAX_OBJECT_BYTES;
  const sink = await ctx.state.store.createSink();
  const corrupt = ctx.faults.has('corrupt');
  // Content-MD5 is checked against the bytes as received; they differ from the stored ones only under the
  // `corrupt` fault, so only then is a second MD5 worth its cost.
  const received = opts.contentMd5 && corrupt ? createHash('md5') : undefined;
  const stored = createHash('md5');
  const crc = new Crc64();
  const pace = pacer(ctx.trafficLimit);
  const resetAt = ctx.faults.has('reset') ? Math.floor((opts.expectedLength ?? 2) / 2) : Infinity;
  let size = 0;
  let flipped = false;
  try {
    for await (const c of source) {
      let chunk = c as Buffer;
      received?.update(chunk);
      if (size + chunk.length > resetAt || (resetAt === 0 && size === 0)) {
        dropConnection(ctx);
        throw new ConnectionDropped('reset fault');
      }
      if (corrupt && !flipped && chunk.length > 0) {
        chunk = Buffer.from(chunk);
        chunk[0] = chunk[0]! ^ 0xff;
        flipped = true;
      }
      size += chunk.length;
      if (size > maxBytes) throw err.entityTooLarge();
      stored.update(chunk);
      crc.update(chunk);
      await sink.write(chunk);
      await pace(chunk.length);
    }
    if (resetAt !== Infinity) {
      // Empty or tiny bodies: the reset still happens, just before the answer.
      dropConnection(ctx);
      throw new ConnectionDropped('reset fault');
    }
    const md5Raw = stored.digest();
    if (opts.contentMd5 && !(received?.digest() ?? md5Raw).equals(opts.contentMd5)) {
      throw new CosError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    const blob = await sink.commit();
    return { blob, size, md5: md5Raw.toString('hex'), md5Raw, crc64: crc.value };
  } catch (e) {
    await sink.abort().catch(() => {});
    if (e instanceof CosError || e instanceof ConnectionDropped) throw e;
    throw new ConnectionDropped(String(e));
  }
}

/** Reads a small body (XML, JSON) into memory with a hard cap. */
export async function readSmallBody(ctx: Ctx, max: number, tooLarge: () => CosError = err.entityTooLarge): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of ctx.req) {
    size += (c as Buffer).length;
    if (size > max) throw tooLarge();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A small body (XML) checked against its Content-MD5 when one is sent: the SDKs send it with every XML body
 * (multi-delete, Complete, ?cors, ?lifecycle, ?acl), and COS answers a mismatch with BadDigest.
 */
export async function readCheckedBody(ctx: Ctx, max: number, tooLarge: () => CosError = err.entityTooLarge): Promise<Buffer> {
  const md5 = parseContentMd5(header(ctx, 'content-md5'));
  const body = await readSmallBody(ctx, max, tooLarge);
  if (md5 && !createHash('md5').update(body).digest().equals(md5)) {
    throw new CosError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  return body;
}
