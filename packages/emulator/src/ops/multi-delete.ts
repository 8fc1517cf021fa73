import { requireAccess } from '../auth/access.ts';
import type { Authenticated } from '../auth/verify.ts';
import { CosError, err } from '../errors.ts';
import { readCheckedBody } from '../http/body.ts';
import type { Ctx } from '../http/context.ts';
import { sendXml } from '../http/respond.ts';
import { MAX_XML_BYTES, asArray, parseXml, rawText, text } from '../xml.ts';

type Node = Record<string, unknown>;

/** DELETE Multiple Objects: each key is authorized on its own (DeleteObject), failures become <Error> entries. */
export async function deleteMultiple(ctx: Ctx, auth: Authenticated): Promise<void> {
  const body = await readCheckedBody(ctx, MAX_XML_BYTES, () => new CosError(400, 'XMLSizeLimit', 'The XML body is too large.'));
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
