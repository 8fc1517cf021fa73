/**
 * Bucket configuration documents: CORS (Docs 8279, 8274, 8283) and lifecycle (Docs 8280, 8278, 8284). Each is one
 * XML body PUT whole, read back as `rules: []` when none is configured, and deleted whole.
 */
import type { CosClient } from '../client.ts';
import { md5Base64 } from '../checksum/index.ts';
import { invalidArgument, isCosServiceError } from '../errors.ts';
import type { XmlNode, XmlValue } from '../http/types.ts';
import { buildXml } from '../http/xml.ts';
import { assertKnownKeys } from '../validate.ts';
import { checkInput, node, nodes, num, targetOf, text, texts, type TargetOptions } from './common.ts';
import type { StorageClass } from './headers.ts';

// ---------------------------------------------------------------------------------------------------------------
// CORS

/** An HTTP method a CORS rule can allow. */
export type CorsMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';

/** One CORS rule (`<CORSRule>`). */
export interface CorsRule {
  id?: string;
  /** e.g. `https://app.example.com`; one `*` wildcard allowed. */
  allowedOrigins: string[];
  allowedMethods: CorsMethod[];
  /** Request headers allowed in the preflight (`*` for any). */
  allowedHeaders?: string[];
  /** Response headers the page may read: expose at least ETag, Content-Length, x-cos-request-id, x-cos-hash-crc64ecma. */
  exposeHeaders?: string[];
  /** How long browsers may cache the preflight, in seconds. */
  maxAgeSeconds?: number;
}

/** Input of `putBucketCors`. */
export interface PutBucketCorsInput extends TargetOptions {
  /** 1..100 rules; replaces the bucket's whole CORS configuration. */
  rules: CorsRule[];
}

/** What `getBucketCors` answers. */
export interface GetBucketCorsOutput {
  /** Empty when the bucket has no CORS configuration. */
  rules: CorsRule[];
}

const METHODS: readonly string[] = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

function stringList(value: unknown, name: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (!Array.isArray(value) || (required && value.length === 0) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw invalidArgument(`${name} must be ${required ? 'a non-empty' : 'an'} array of non-empty strings`);
  }
}

function corsRuleXml(rule: CorsRule, i: number): XmlNode {
  if (typeof rule !== 'object' || rule === null) throw invalidArgument(`rules[${i}] must be an object`);
  assertKnownKeys(rule, ['id', 'allowedOrigins', 'allowedMethods', 'allowedHeaders', 'exposeHeaders', 'maxAgeSeconds'], `rules[${i}]`);
  if (rule.id !== undefined && typeof rule.id !== 'string') throw invalidArgument(`rules[${i}].id must be a string`);
  stringList(rule.allowedOrigins, `rules[${i}].allowedOrigins`, true);
  stringList(rule.allowedMethods, `rules[${i}].allowedMethods`, true);
  const bad = rule.allowedMethods.find((m) => !METHODS.includes(m));
  if (bad !== undefined) throw invalidArgument(`rules[${i}].allowedMethods: ${JSON.stringify(bad)} is not one of ${METHODS.join(', ')}`);
  stringList(rule.allowedHeaders, `rules[${i}].allowedHeaders`, false);
  stringList(rule.exposeHeaders, `rules[${i}].exposeHeaders`, false);
  if (rule.maxAgeSeconds !== undefined && (!Number.isInteger(rule.maxAgeSeconds) || rule.maxAgeSeconds < 0)) {
    throw invalidArgument(`rules[${i}].maxAgeSeconds must be a non-negative integer`);
  }
  return {
    ID: rule.id,
    AllowedOrigin: rule.allowedOrigins,
    AllowedMethod: rule.allowedMethods,
    AllowedHeader: rule.allowedHeaders,
    ExposeHeader: rule.exposeHeaders,
    MaxAgeSeconds: rule.maxAgeSeconds,
  };
}

/** PUTs an XML configuration; COS requires Content-MD5 on `?cors` / `?lifecycle` bodies. */
async function putConfig(client: CosClient, input: TargetOptions, action: string, sub: string, body: string): Promise<void> {
  await client.request({
    action,
    method: 'PUT',
    ...targetOf(input),
    query: { [sub]: '' },
    headers: { 'Content-Type': 'application/xml', 'Content-MD5': md5Base64(body) },
    body,
    responseType: 'none',
  });
}

/** Reads an XML configuration; "none configured" (the given 404 code) answers `undefined`, like the official SDKs' empty list. */
async function getConfig(client: CosClient, input: TargetOptions, action: string, sub: string, missing: string): Promise<XmlNode | undefined> {
  try {
    const { data } = await client.request({ action, method: 'GET', ...targetOf(input), query: { [sub]: '' } });
    return data;
  } catch (error) {
    if (isCosServiceError(error) && error.code === missing) return undefined;
    throw error;
  }
}

/** Replaces the bucket's CORS rules (PUT Bucket cors). */
export async function putBucketCors(client: CosClient, input: PutBucketCorsInput): Promise<void> {
  checkInput(client, input, ['rules'], 'putBucketCors');
  if (!Array.isArray(input.rules) || input.rules.length === 0 || input.rules.length > 100) {
    throw invalidArgument('rules must be an array of 1 to 100 CORS rules (use deleteBucketCors to remove them all)');
  }
  const body = buildXml('CORSConfiguration', { CORSRule: input.rules.map(corsRuleXml) });
  await putConfig(client, input, 'PutBucketCORS', 'cors', body);
}

/** Reads the bucket's CORS rules (GET Bucket cors); none configured gives `rules: []`. */
export async function getBucketCors(client: CosClient, input: TargetOptions = {}): Promise<GetBucketCorsOutput> {
  checkInput(client, input, [], 'getBucketCors');
  const data = await getConfig(client, input, 'GetBucketCORS', 'cors', 'NoSuchCORSConfiguration');
  const rules = nodes(data?.CORSRule).map((r): CorsRule => {
    const rule: CorsRule = {
      allowedOrigins: texts(r.AllowedOrigin),
      allowedMethods: texts(r.AllowedMethod) as CorsMethod[],
      allowedHeaders: texts(r.AllowedHeader),
      exposeHeaders: texts(r.ExposeHeader),
    };
    if (r.ID !== undefined) rule.id = text(r.ID);
    const maxAge = num(r.MaxAgeSeconds);
    if (maxAge !== undefined) rule.maxAgeSeconds = maxAge;
    return rule;
  });
  return { rules };
}

/** Removes the bucket's CORS configuration (DELETE Bucket cors). */
export async function deleteBucketCors(client: CosClient, input: TargetOptions = {}): Promise<void> {
  checkInput(client, input, [], 'deleteBucketCors');
  await client.request({ action: 'DeleteBucketCORS', method: 'DELETE', ...targetOf(input), query: { cors: '' }, responseType: 'none' });
}

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle

/** When a rule acts: after `days` (from the object's creation) or on `date` (ISO-8601, midnight). */
export interface LifecycleWhen {
  days?: number;
  date?: string;
}

/** A lifecycle move to another storage class, after `days` or on `date`. */
export interface LifecycleTransition extends LifecycleWhen {
  storageClass: StorageClass;
}

/** One lifecycle rule (`<Rule>`). */
export interface LifecycleRule {
  id?: string;
  status: 'Enabled' | 'Disabled';
  /** Which objects: those whose key starts with `prefix` (all objects when absent). */
  filter?: { prefix?: string };
  /** Delete objects after `days` or on `date`. */
  expiration?: LifecycleWhen;
  /** Move objects to another storage class. */
  transitions?: LifecycleTransition[];
  /** Abort multipart uploads still unfinished this many days after they started. */
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
  /** Versioned buckets: delete non-current versions after this many days. */
  noncurrentVersionExpiration?: { noncurrentDays: number };
}

/** Input of `putBucketLifecycle`. */
export interface PutBucketLifecycleInput extends TargetOptions {
  /** 1..1000 rules; replaces the bucket's whole lifecycle configuration. */
  rules: LifecycleRule[];
}

/** What `getBucketLifecycle` answers. */
export interface GetBucketLifecycleOutput {
  /** Empty when the bucket has no lifecycle configuration. */
  rules: LifecycleRule[];
}

function positiveDays(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
    throw invalidArgument(`${name} must be a positive integer number of days; got ${String(value)}`);
  }
}

function whenXml(when: LifecycleWhen, name: string, extra: readonly string[] = []): XmlNode {
  if (typeof when !== 'object' || when === null) throw invalidArgument(`${name} must be an object`);
  assertKnownKeys(when, ['days', 'date', ...extra], name);
  positiveDays(when.days, `${name}.days`);
  if (when.date !== undefined && (typeof when.date !== 'string' || Number.isNaN(Date.parse(when.date)))) {
    throw invalidArgument(`${name}.date must be an ISO-8601 date string, e.g. "2030-01-01T00:00:00+08:00"`);
  }
  if ((when.days === undefined) === (when.date === undefined)) throw invalidArgument(`${name} needs exactly one of days or date`);
  return { Days: when.days, Date: when.date };
}

function lifecycleRuleXml(rule: LifecycleRule, i: number): XmlNode {
  const at = `rules[${i}]`;
  if (typeof rule !== 'object' || rule === null) throw invalidArgument(`${at} must be an object`);
  assertKnownKeys(rule, ['id', 'status', 'filter', 'expiration', 'transitions', 'abortIncompleteMultipartUpload', 'noncurrentVersionExpiration'], at);
  if (rule.id !== undefined && typeof rule.id !== 'string') throw invalidArgument(`${at}.id must be a string`);
  if (rule.status !== 'Enabled' && rule.status !== 'Disabled') throw invalidArgument(`${at}.status must be "Enabled" or "Disabled"`);
  if (rule.filter !== undefined) {
    assertKnownKeys(rule.filter, ['prefix'], `${at}.filter`);
    if (rule.filter.prefix !== undefined && typeof rule.filter.prefix !== 'string') throw invalidArgument(`${at}.filter.prefix must be a string`);
  }
  if (rule.transitions !== undefined && !Array.isArray(rule.transitions)) throw invalidArgument(`${at}.transitions must be an array`);
  const transitions = (rule.transitions ?? []).map((t, j) => {
    const x = whenXml(t, `${at}.transitions[${j}]`, ['storageClass']);
    if (typeof t.storageClass !== 'string' || (t.storageClass as string) === '') throw invalidArgument(`${at}.transitions[${j}].storageClass is required`);
    return { ...x, StorageClass: t.storageClass };
  });
  const abort = rule.abortIncompleteMultipartUpload;
  if (abort !== undefined) {
    assertKnownKeys(abort, ['daysAfterInitiation'], `${at}.abortIncompleteMultipartUpload`);
    positiveDays(abort.daysAfterInitiation, `${at}.abortIncompleteMultipartUpload.daysAfterInitiation`);
    if (abort.daysAfterInitiation === undefined) throw invalidArgument(`${at}.abortIncompleteMultipartUpload.daysAfterInitiation is required`);
  }
  const noncurrent = rule.noncurrentVersionExpiration;
  if (noncurrent !== undefined) {
    assertKnownKeys(noncurrent, ['noncurrentDays'], `${at}.noncurrentVersionExpiration`);
    positiveDays(noncurrent.noncurrentDays, `${at}.noncurrentVersionExpiration.noncurrentDays`);
  }
  if (rule.expiration === undefined && transitions.length === 0 && abort === undefined && noncurrent === undefined) {
    throw invalidArgument(`${at} has no action: give expiration, transitions, abortIncompleteMultipartUpload or noncurrentVersionExpiration`);
  }
  // Element order follows Doc 8280's sample; COS requires <Filter>, and an empty one means every object.
  return {
    ID: rule.id,
    Filter: { Prefix: rule.filter?.prefix },
    Status: rule.status,
    Transition: transitions.length ? transitions : undefined,
    Expiration: rule.expiration === undefined ? undefined : whenXml(rule.expiration, `${at}.expiration`),
    NoncurrentVersionExpiration: noncurrent === undefined ? undefined : { NoncurrentDays: noncurrent.noncurrentDays },
    AbortIncompleteMultipartUpload: abort === undefined ? undefined : { DaysAfterInitiation: abort.daysAfterInitiation },
  };
}

function whenOf(value: XmlValue | undefined): LifecycleWhen {
  const n = node(value);
  const when: LifecycleWhen = {};
  const days = num(n.Days);
  if (days !== undefined) when.days = days;
  if (text(n.Date)) when.date = text(n.Date);
  return when;
}

/** Replaces the bucket's lifecycle rules (PUT Bucket lifecycle). */
export async function putBucketLifecycle(client: CosClient, input: PutBucketLifecycleInput): Promise<void> {
  checkInput(client, input, ['rules'], 'putBucketLifecycle');
  if (!Array.isArray(input.rules) || input.rules.length === 0 || input.rules.length > 1000) {
    throw invalidArgument('rules must be an array of 1 to 1000 lifecycle rules (use deleteBucketLifecycle to remove them all)');
  }
  const body = buildXml('LifecycleConfiguration', { Rule: input.rules.map(lifecycleRuleXml) });
  await putConfig(client, input, 'PutBucketLifecycle', 'lifecycle', body);
}

/** Reads the bucket's lifecycle rules (GET Bucket lifecycle); none configured gives `rules: []`. */
export async function getBucketLifecycle(client: CosClient, input: TargetOptions = {}): Promise<GetBucketLifecycleOutput> {
  checkInput(client, input, [], 'getBucketLifecycle');
  const data = await getConfig(client, input, 'GetBucketLifecycle', 'lifecycle', 'NoSuchLifecycleConfiguration');
  const rules = nodes(data?.Rule).map((r): LifecycleRule => {
    const rule: LifecycleRule = { status: text(r.Status) === 'Enabled' ? 'Enabled' : 'Disabled' };
    if (r.ID !== undefined) rule.id = text(r.ID);
    if (r.Filter !== undefined) {
      const prefix = node(r.Filter).Prefix;
      rule.filter = prefix === undefined ? {} : { prefix: text(prefix) };
    }
    if (r.Expiration !== undefined) rule.expiration = whenOf(r.Expiration);
    const transitions = nodes(r.Transition).map((t) => ({ ...whenOf(t), storageClass: text(t.StorageClass) as StorageClass }));
    if (transitions.length) rule.transitions = transitions;
    if (r.AbortIncompleteMultipartUpload !== undefined) {
      rule.abortIncompleteMultipartUpload = { daysAfterInitiation: num(node(r.AbortIncompleteMultipartUpload).DaysAfterInitiation) ?? 0 };
    }
    if (r.NoncurrentVersionExpiration !== undefined) {
      rule.noncurrentVersionExpiration = { noncurrentDays: num(node(r.NoncurrentVersionExpiration).NoncurrentDays) ?? 0 };
    }
    return rule;
  });
  return { rules };
}

/** Removes the bucket's lifecycle configuration (DELETE Bucket lifecycle). */
export async function deleteBucketLifecycle(client: CosClient, input: TargetOptions = {}): Promise<void> {
  checkInput(client, input, [], 'deleteBucketLifecycle');
  await client.request({ action: 'DeleteBucketLifecycle', method: 'DELETE', ...targetOf(input), query: { lifecycle: '' }, responseType: 'none' });
}
