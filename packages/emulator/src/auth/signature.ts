import { createHash, createHmac } from 'node:crypto';

/** COS UrlEncode: encodeURIComponent plus `! ' ( ) *`, uppercase hex (cos-protocol.md §1.2 step 8). */
export function cosEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Percent-decodes `%XX` only; `+` stays literal (the SDK always sends %2B / %20). */
export function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const sha1Hex = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex');
export const hmacSha1Hex = (key: string, msg: string): string => createHmac('sha1', key).update(msg, 'utf8').digest('hex');

/** The seven `q-*` fields, percent-decoded. */
export interface AuthFields {
  algorithm: string;
  ak: string;
  signTime: string;
  keyTime: string;
  headerList: string[];
  urlParamList: string[];
  signature: string;
}

const splitList = (v: string): string[] => (v === '' ? [] : v.split(';').map((s) => s.trim().toLowerCase()));

/** Parses an Authorization value (or the equivalent query pairs); undefined when a field is missing. */
export function parseAuthFields(pairs: Map<string, string>): AuthFields | undefined {
  const need = ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature'];
  for (const n of need) if (!pairs.has(n)) return undefined;
  return {
    algorithm: pairs.get('q-sign-algorithm')!,
    ak: pairs.get('q-ak')!,
    signTime: pairs.get('q-sign-time')!,
    keyTime: pairs.get('q-key-time')!,
    headerList: splitList(pairs.get('q-header-list')!),
    urlParamList: splitList(pairs.get('q-url-param-list')!),
    signature: pairs.get('q-signature')!.toLowerCase(),
  };
}

export function parseAuthorizationHeader(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    out.set(part.slice(0, eq).trim(), percentDecode(part.slice(eq + 1).trim()));
  }
  return out;
}

export interface SignInput {
  secretKey: string;
  method: string;
  /** Percent-decoded path as sent, starting with `/`. */
  pathname: string;
  /** Decoded query pairs in wire order. */
  query: Array<[string, string]>;
  /** Lowercase header names. */
  headers: Record<string, string>;
  fields: Pick<AuthFields, 'signTime' | 'keyTime' | 'headerList' | 'urlParamList'>;
}

/** Recomputes the signature exactly as §1.2 step 4 says, following the client's lists in their order. */
export function computeSignature(input: SignInput): { signature: string; httpString: string } {
  const params = new Map<string, string>();
  for (const [name, value] of input.query) {
    const k = cosEncode(name).toLowerCase();
    if (!params.has(k)) params.set(k, value);
  }
  const httpParameters = input.fields.urlParamList.map((n) => `${n}=${cosEncode(params.get(n) ?? '')}`).join('&');
  const httpHeaders = input.fields.headerList.map((n) => `${n}=${cosEncode(input.headers[n] ?? '')}`).join('&');
  const httpString = `${input.method.toLowerCase()}\n${input.pathname}\n${httpParameters}\n${httpHeaders}\n`;
  const signKey = hmacSha1Hex(input.secretKey, input.fields.keyTime);
  const stringToSign = `sha1\n${input.fields.signTime}\n${sha1Hex(httpString)}\n`;
  return { signature: hmacSha1Hex(signKey, stringToSign), httpString };
}
