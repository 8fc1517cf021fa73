/** Credential shapes accepted by `CosClient`. */

/** Permanent keys, or temporary keys you already hold. */
export interface StaticCredentials {
  secretId: string;
  secretKey: string;
  /** The temporary key's token; sent as `x-cos-security-token`. */
  sessionToken?: string;
  /** Unix seconds; with temporary keys the signature's KeyTime is `startTime;expiredTime`. */
  startTime?: number;
  expiredTime?: number;
}

/** What qcloud-cos-sts `getCredential` answers (your server passes it through). */
export interface StsCredentialsShape {
  credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string };
  startTime?: number;
  expiredTime: number;
  expiration?: string;
}

/** What cos-js-sdk-v5's `getAuthorization` callback takes. */
export interface JsSdkCredentialsShape {
  TmpSecretId: string;
  TmpSecretKey: string;
  SecurityToken?: string;
  XCosSecurityToken?: string;
  StartTime?: number;
  ExpiredTime: number;
}

/** An async source of temporary keys, e.g. `() => fetch('/api/sts').then(r => r.json())`. */
export type CredentialsProvider = (context: {
  signal?: AbortSignal | undefined;
}) => Promise<StsCredentialsShape | JsSdkCredentialsShape | StaticCredentials>;

/** The request an `authorize` callback is asked to sign (server-side signing). */
export interface AuthorizeRequest {
  action: string;
  method: string;
  bucket: string | null;
  region: string;
  key: string | undefined;
  /** What the signature covers: `/` + raw key (path-style: `/bucket/key`). */
  pathname: string;
  query: Record<string, string>;
  /** The signable headers, including `host`. */
  headers: Record<string, string>;
}

/** Server-side signing: return the Authorization string (and the token when it was signed with temporary keys). */
export type Authorizer = (
  request: AuthorizeRequest,
) => Promise<string | { authorization: string; securityToken?: string }>;

/** What the pipeline signs with, normalized. */
export interface ResolvedCredentials {
  secretId: string;
  secretKey: string;
  sessionToken: string | undefined;
  /** Unix seconds, when the keys are temporary. */
  startTime: number | undefined;
  expiredTime: number | undefined;
}
