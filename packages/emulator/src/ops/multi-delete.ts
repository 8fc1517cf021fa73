import { createHash } from 'node:crypto';
import { requireAccess } from '../auth/access.ts';
import type { Authenticated } from '../auth/verify.ts';
import { CosError, err } from '../errors.ts';
import { parseContentMd5, readSmallBody } from '../http/body.ts';
import { type Ctx, header } from '../http/context.ts';
import { sendXml } from '../http/respond.ts';
import { MAX_XML_BYTES, asArray, parseXml, rawText, text } from '../xml.ts';

type Node = Record<string, unknown>;

/** DELETE Multiple Objects: each key is authorized on its own (DeleteObject), failures become <Error> entries. */
export async function deleteMultiple(ctx: Ctx, auth: Authenticated): Promise<void> {
  const md5 = parseContentMd5(header(ctx, 'content-md5'));
  const body = await readSmallBody(ctx, MAX_XML_BYTES, () => new CosError(400, 'XMLSizeLimit', 'The XML body is too large.'));
  if (md5 && !createHash('md5').update(body).digest().equals(md5)) {
    throw new CosError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  const root = parseXml(body.toString('utf8'))['Delete'] as Node | undefined;
  if (!root || typeof root !== 'object') throw err.malformedXml();
  const objects = asArray(root['Object'] as Node | Node[] | undefined);
  if (objects.length === 0 || objects.length > 1000) throw err.malformedXml();
  const quiet = text(root['Quiet']).toLowerCase() === 'true';
  const deleted: Node[] = [];
  const errors: Node[] = [];
  for (const o of objects) {
    const key = rawText(o['Key']);
    if (!key) throw err.malformedXml();
    try {
      requireAccess(ctx, auth, 'DeleteObject', ctx.bucket, key);
      await ctx.state.store.deleteObject(ctx.bucket!, key);
      if (!quiet) deleted.push({ Key: key });
    } catch (e) {
      if (!(e instanceof CosError)) throw e;
      errors.push({ Key: key, Code: e.code, Message: e.message });
    }
  }
  await sendXml(ctx, 200, { DeleteResult: { Deleted: deleted, Error: errors } });
}
