/**
 * Assertions shared by the browser tests: typed errors (by `code`, never by message text) and "rejected before the
 * network" for input validation.
 */
import { expect } from 'chai';
import { md5Base64, type CosClient, type XmlNode } from '@coskit/core';
import { buildXml, list } from '../../packages/core/src/http/xml.ts';
import { recordRequests } from './msw.ts';

/** Awaits `promise`, expects a rejection with `name` (CosServiceError / CosClientError) and `code`; returns the error. */
export async function expectCosError<E = Error & { code: string; status?: number }>(
  promise: Promise<unknown>,
  code: string,
  name?: 'CosServiceError' | 'CosClientError',
): Promise<E> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, `expected a rejection with code ${code}`).to.be.an('error');
  const e = error as { code?: unknown; name?: unknown; message?: unknown };
  expect(e.code, `code of: ${String(e.message)}`).to.equal(code);
  if (name) expect(e.name).to.equal(name);
  return error as E;
}

/**
 * Runs `call` and expects `CosClientError('InvalidArgument')` with no request sent to the emulator (any host,
 * XHR or fetch, as seen by the msw service worker). Returns the error for message checks.
 */
export async function expectInvalidArgument(call: () => Promise<unknown>): Promise<Error & { code: string }> {
  const log = await recordRequests();
  try {
    const error = await expectCosError<Error & { code: string }>(
      Promise.resolve().then(call),
      'InvalidArgument',
      'CosClientError',
    );
    // Give a request that was (wrongly) started a moment to reach the worker before checking.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.requests.map((r) => `${r.method} ${r.url}`), 'requests sent for invalid input').to.deep.equal([]);
    return error;
  } finally {
    log.stop();
  }
}

/**
 * Fixture: adds `names` to the ExposeHeader list of every CORS rule of the client's bucket, so the page can read
 * headers COS does not expose by default (`x-cos-meta-*`, `Content-Disposition`, `x-cos-acl`…), the same step a
 * real bucket needs. Returns a function that puts the original rules back; call it in `after`, since every test
 * file shares the run's bucket.
 */
export async function exposeHeaders(client: CosClient, names: string[]): Promise<() => Promise<void>> {
  const saved = await client.request({ action: 'GetBucketCors', method: 'GET', query: { cors: '' } });
  const rules = list(saved.data, 'CORSRule');
  const put = async (corsRules: XmlNode[]) => {
    const body = buildXml('CORSConfiguration', { CORSRule: corsRules });
    await client.request({
      action: 'PutBucketCors',
      method: 'PUT',
      query: { cors: '' },
      headers: { 'Content-Type': 'application/xml', 'Content-MD5': md5Base64(body) },
      body,
      responseType: 'none',
    });
  };
  await put(rules.map((rule) => ({ ...rule, ExposeHeader: [...((rule.ExposeHeader as string[] | undefined) ?? []), ...names] })));
  return () => put(rules);
}
