/** A COS error answer: the code/status pair of cos-protocol.md §3, thrown anywhere and rendered once. */
export class CosError extends Error {
  override name = 'CosError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements appended to <Error>, e.g. ServerTime on time errors. */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const err = {
  accessDenied: (msg = 'Access Denied.') => new CosError(403, 'AccessDenied', msg),
  noSuchBucket: () => new CosError(404, 'NoSuchBucket', 'The specified bucket does not exist.'),
  noSuchKey: () => new CosError(404, 'NoSuchKey', 'The specified key does not exist.'),
  noSuchUpload: () => new CosError(404, 'NoSuchUpload', 'The specified upload does not exist.'),
  invalidArgument: (msg: string) => new CosError(400, 'InvalidArgument', msg),
  invalidRequest: (msg: string) => new CosError(400, 'InvalidRequest', msg),
  malformedXml: () =>
    new CosError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.'),
  missingContentLength: () => new CosError(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.'),
  entityTooLarge: () => new CosError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.'),
  preconditionFailed: () =>
    new CosError(412, 'PreconditionFailed', 'At least one of the preconditions you specified did not hold.'),
  methodNotAllowed: () => new CosError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'),
  notImplemented: () => new CosError(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented.'),
};
