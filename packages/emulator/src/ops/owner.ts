import type { Ctx } from '../http/context.ts';

/** The one account the emulator knows about, in the shape Owner/Initiator elements use. */
export function owner(ctx: Ctx): { ID: string; DisplayName: string } {
  const appId = ctx.bucket ? ctx.bucket.slice(ctx.bucket.lastIndexOf('-') + 1) : ctx.state.opts.appId;
  return { ID: `qcs::cam::uin/${appId}:uin/${appId}`, DisplayName: appId };
}
