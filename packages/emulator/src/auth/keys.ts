import { randomBytes } from 'node:crypto';
import type { CamPolicy, StsRequest, StsResponse } from '../types.ts';
import { err } from '../errors.ts';

export interface TemporaryKey {
  secretKey: string;
  sessionToken: string;
  policy: CamPolicy;
  startTime: number;
  expiredTime: number;
}

export type KeyLookup =
  | { kind: 'permanent'; secretKey: string }
  | ({ kind: 'temporary' } & TemporaryKey);

/** Permanent key plus the temporary keys minted by the STS endpoint (kept in memory only). */
export class KeyRing {
  private readonly temporary = new Map<string, TemporaryKey>();

  constructor(
    readonly secretId: string,
    readonly secretKey: string,
    private readonly region: string,
    private readonly appId: string,
  ) {}

  lookup(ak: string): KeyLookup | undefined {
    if (ak === this.secretId) return { kind: 'permanent', secretKey: this.secretKey };
    const t = this.temporary.get(ak);
    return t ? { kind: 'temporary', ...t } : undefined;
  }

  /** Builds the policy from bucket/prefix/actions when none is given, then stores a fresh key pair. */
  mint(input: CamPolicy | StsRequest, nowSeconds: number, requestId: string): StsResponse {
    const req: StsRequest = 'statement' in input ? { policy: input } : input;
    const duration = req.durationSeconds ?? 1800;
    if (!Number.isInteger(duration) || duration < 1 || duration > 7200) {
      throw err.invalidArgument('durationSeconds must be an integer between 1 and 7200');
    }
    const policy = req.policy ?? this.policyFor(req);
    if (!policy || !Array.isArray(policy.statement)) throw err.invalidArgument('policy.statement must be an array');
    const startTime = Math.floor(nowSeconds);
    const expiredTime = startTime + duration;
    const tmpSecretId = `AKIDtmp${randomBytes(14).toString('hex')}`;
    const key: TemporaryKey = {
      secretKey: randomBytes(24).toString('base64'),
      sessionToken: randomBytes(48).toString('base64url'),
      policy,
      startTime,
      expiredTime,
    };
    this.temporary.set(tmpSecretId, key);
    return {
      credentials: { tmpSecretId, tmpSecretKey: key.secretKey, sessionToken: key.sessionToken },
      expiration: new Date(expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      startTime,
      expiredTime,
      requestId,
    };
  }

  private policyFor(req: StsRequest): CamPolicy {
    const bucket = req.bucket ?? '*';
    const appId = req.bucket ? req.bucket.slice(req.bucket.lastIndexOf('-') + 1) : this.appId;
    const prefix = req.prefix ?? '';
    const actions = (req.actions ?? ['cos:*']).map((a) => (a.startsWith('name/') ? a : `name/${a.includes(':') ? a : `cos:${a}`}`));
    return {
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          principal: { qcs: ['*'] },
          action: actions,
          resource: [`qcs::cos:${this.region}:uid/${appId}:${bucket}/${prefix}*`],
        },
      ],
    };
  }

  clear(): void {
    this.temporary.clear();
  }
}
