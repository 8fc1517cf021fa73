import COS from 'cos-nodejs-sdk-v5';

// The SDK's bundled typings are narrower than its runtime (numeric PartNumber, getAuthorization shapes);
// the tests drive the runtime, so they use this loose view of the methods they call.
// biome-ignore lint/suspicious/noExplicitAny: SDK results are checked field by field in the tests
type Call = (params: object) => Promise<any>;
export interface Sdk {
  putObject: Call;
  getObject: Call;
  headObject: Call;
  deleteObject: Call;
  appendObject: Call;
  putObjectCopy: Call;
  deleteMultipleObject: Call;
  getBucket: Call;
  headBucket: Call;
  sliceUploadFile: Call;
  multipartInit: Call;
  multipartUpload: Call;
  multipartListPart: Call;
  multipartList: Call;
  multipartComplete: Call;
  multipartAbort: Call;
  uploadPartCopy: Call;
}

export const Cos = COS as unknown as new (opts: object) => Sdk;
