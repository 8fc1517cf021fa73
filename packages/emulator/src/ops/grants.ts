import { err } from '../errors.ts';
import type { AclState, AclValue } from '../storage/types.ts';

/** The preset group "everyone" (Doc 30583); `qcs::cam::anyone:anyone` is its older ID form (both SDKs' decodeAcl). */
export const ALL_USERS = 'http://cam.qcloud.com/groups/global/AllUsers';
const ANYONE_ID = 'qcs::cam::anyone:anyone';

const PERMISSIONS = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'];

/** A stored grantee that is a group URI (rendered `xsi:type="Group"` with `<URI>`), not a CAM user ID. */
export function isGroupUri(grantee: string): boolean {
  return /^https?:\/\//i.test(grantee);
}

/** Grantees naming everyone: they become the canned public ACL, as in the XML path and the SDKs' decodeAcl. */
export function isAllUsers(grantee: string): boolean {
  return grantee === ALL_USERS || grantee === ANYONE_ID;
}

/**
 * A header grantee as COS reports it back (Doc 7737/7733): `100000000011` (root account) is
 * `qcs::cam::uin/100000000011:uin/100000000011`, `100000000001/100000000011` (sub-account of a root) is
 * `qcs::cam::uin/100000000001:uin/100000000011`; an ID already in `qcs::cam::` form is kept.
 */
function camId(value: string): string {
  if (value.startsWith('qcs::cam::')) return value;
  const m = /^(\d+)(?:\/(\d+))?$/.exec(value);
  if (!m) throw err.invalidArgument(`Invalid grantee id "${value}"`);
  return `qcs::cam::uin/${m[1]}:uin/${m[2] ?? m[1]}`;
}

/**
 * One `x-cos-grant-*` value: comma-separated `id="…"` (also the older `uin="…"`, which the SDK docs still show) or
 * `uri="…"` entries. Returns the grantees in their stored (reported) form.
 */
export function parseGrantHeader(value: string): string[] {
  return value.split(',').map((entry) => {
    const m = /^\s*(id|uin|uri)\s*=\s*"([^"]*)"\s*$/i.exec(entry);
    if (!m || m[2] === '') throw err.invalidArgument(`Invalid grant "${entry.trim()}": expected id="OwnerUin[/SubUin]" or uri="GroupURI"`);
    const kind = m[1]!.toLowerCase();
    const who = m[2]!.trim();
    if (kind === 'uri') {
      if (!isGroupUri(who)) throw err.invalidArgument(`Invalid grant uri "${who}"`);
      return who;
    }
    return who === ANYONE_ID ? ALL_USERS : camId(who);
  });
}

/** One of the five ACL permissions (Doc 30583). */
export function isPermission(p: string): boolean {
  return PERMISSIONS.includes(p);
}

/** `x-cos-grant-read-acp` -> `READ_ACP`. */
export function permissionOf(headerSuffix: string): string {
  const p = headerSuffix.toUpperCase().replace(/-/g, '_');
  if (!PERMISSIONS.includes(p)) throw err.invalidArgument(`Unknown permission ${headerSuffix}`);
  return p;
}

/**
 * Grants to everyone (`open` permissions) folded into the canned value the emulator enforces: READ is public-read,
 * READ+WRITE or FULL_CONTROL public-read-write, on top of what the canned value already allows. What a canned value
 * cannot say (WRITE alone, READ_ACP, WRITE_ACP) stays an AllUsers Group grant, so GET ?acl still shows it.
 */
export function applyPublic(acl: AclState, open: ReadonlySet<string>): AclState {
  if (open.size === 0) return acl;
  const c = acl.canned;
  const read = open.has('READ') || open.has('FULL_CONTROL') || c === 'public-read' || c === 'public-read-write';
  const write = open.has('WRITE') || open.has('FULL_CONTROL') || c === 'public-read-write';
  const canned: AclValue | undefined = read && write ? 'public-read-write' : read ? 'public-read' : undefined;
  const expressed = new Set(canned === 'public-read-write' ? ['READ', 'WRITE', 'FULL_CONTROL'] : canned ? ['READ'] : []);
  const kept = [...open].filter((p) => !expressed.has(p)).map((permission) => ({ permission, grantee: ALL_USERS }));
  return { canned: canned ?? c, grants: [...acl.grants, ...kept] };
}
