import type { BucketMeta, CorsRule } from './storage/types.ts';

/** The recommended default of cos-protocol.md §6, given to every bucket the emulator creates. */
export const DEFAULT_EXPOSE_HEADERS = Object.freeze([
  'ETag',
  'Content-Length',
  'x-cos-request-id',
  'x-cos-hash-crc64ecma',
  'x-cos-next-append-position',
  'x-cos-version-id',
  'x-cos-delete-marker',
  'x-cos-object-type',
  'x-cos-storage-class',
  'Content-Range',
  'Last-Modified',
  'Date',
]);

export function defaultCorsRule(): CorsRule {
  return {
    id: 'coskit-default',
    allowedOrigins: ['*'],
    allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
    allowedHeaders: ['*'],
    exposeHeaders: [...DEFAULT_EXPOSE_HEADERS],
    maxAgeSeconds: 600,
  };
}

const DEFAULT_RULES: readonly CorsRule[] = Object.freeze([defaultCorsRule()]);

/**
 * The rules that answer a request: an existing bucket's own (none after DELETE ?cors), else the default rule. The
 * service endpoint (GET Service) and buckets that do not exist (yet) have no rules of their own, but COS answers
 * their preflights; without that a page could not create or list buckets, nor even read NoSuchBucket.
 */
export function corsRulesFor(bucket: BucketMeta | undefined): readonly CorsRule[] | undefined {
  return bucket ? bucket.cors : DEFAULT_RULES;
}

/** AllowedOrigin supports a single `*` wildcard anywhere (Doc 8279). */
function wildcard(pattern: string, value: string, ci: boolean): boolean {
  const p = ci ? pattern.toLowerCase() : pattern;
  const v = ci ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** First rule that allows the origin, the method and every requested header. */
export function matchCors(
  rules: readonly CorsRule[] | undefined,
  origin: string,
  method: string,
  requestHeaders: string[] = [],
): CorsRule | undefined {
  for (const r of rules ?? []) {
    if (!r.allowedOrigins.some((o) => wildcard(o, origin, false))) continue;
    if (!r.allowedMethods.some((m) => m.toUpperCase() === method.toUpperCase())) continue;
    if (!requestHeaders.every((h) => r.allowedHeaders.some((a) => wildcard(a, h, true)))) continue;
    return r;
  }
  return undefined;
}
