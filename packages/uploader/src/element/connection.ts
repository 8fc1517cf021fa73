/**
 * What the element uploads with: its `client` property, or a `CosClient` made from the bucket/region/endpoint
 * attributes and a credentials source (`credentials` property, else `credentials-url`).
 */
import { CosClient, CosClientError, type CredentialsProvider, type UploadRecord } from '@coskit/core';

/** The element's connection settings, as set by attributes and properties. */
export interface ConnectionSettings {
  client: CosClient | undefined;
  credentials: CredentialsProvider | undefined;
  credentialsUrl: string;
  credentialsMethod: string;
  bucket: string;
  region: string;
  endpoint: string;
  prefix: string;
}

/**
 * Temporary keys from a URL (qcloud-cos-sts or cos-js-sdk-v5 shape). Cookies go along on same-origin URLs, so the
 * page's session authorizes the request; POST sends `{ bucket, region, prefix }` for servers that scope the policy.
 */
export function credentialsFromUrl(url: string, method: string, scope: { bucket: string; region: string; prefix: string }): CredentialsProvider {
  const post = method.toUpperCase() === 'POST';
  return async ({ signal }) => {
    const response = await fetch(url, {
      method: post ? 'POST' : 'GET',
      credentials: 'same-origin',
      signal: signal ?? null,
      headers: post ? { 'content-type': 'application/json' } : {},
      body: post ? JSON.stringify(scope) : null,
    });
    if (!response.ok) throw new CosClientError('CredentialsError', `credentials-url answered ${response.status} ${response.statusText}`.trim());
    return response.json();
  };
}

/** The client to upload with; throws `InvalidArgument` naming what is missing. */
export function clientFor(settings: ConnectionSettings): CosClient {
  if (settings.client) return settings.client;
  const { bucket, region, prefix } = settings;
  const credentials =
    settings.credentials ?? (settings.credentialsUrl ? credentialsFromUrl(settings.credentialsUrl, settings.credentialsMethod, { bucket, region, prefix }) : undefined);
  if (!credentials) throw new CosClientError('InvalidArgument', 'set `credentials-url`, the `credentials` property or the `client` property');
  if (!bucket || !region) throw new CosClientError('InvalidArgument', 'set the `bucket` and `region` attributes');
  return new CosClient({ bucket, region, endpoint: settings.endpoint || undefined, credentials });
}

/** Forgets an unfinished upload for good: aborts it on the server (no parts left behind) and deletes its record. */
export async function discardUpload(client: CosClient, deleteRecord: (fingerprint: string) => Promise<void>, record: UploadRecord): Promise<void> {
  try {
    await client.abortMultipartUpload({ bucket: record.bucket, region: record.region, key: record.key, uploadId: record.uploadId });
  } catch (error) {
    // Already gone on the server (completed elsewhere, expired by lifecycle): only the record is left.
    if ((error as { code?: string }).code !== 'NoSuchUpload') throw error;
  }
  await deleteRecord(record.fingerprint);
}
