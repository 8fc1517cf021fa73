/** @coskit/core: a fetch-based client for the Tencent Cloud COS XML API. */
export { CosClient } from './client.ts';
export type { CosClientOptions, NormalizedOptions, RetryOptions } from './client.ts';
export {
  CosError,
  CosServiceError,
  CosClientError,
  isCosError,
  isCosServiceError,
  isCosClientError,
} from './errors.ts';
export type { CosClientErrorCode, CosServiceErrorInit } from './errors.ts';
export type {
  StaticCredentials,
  StsCredentialsShape,
  JsSdkCredentialsShape,
  CredentialsProvider,
  Authorizer,
  AuthorizeRequest,
} from './auth/types.ts';
export type { CosRequestInit, CosResponse, TransferProgress, RequestBody, XmlNode, RetryInfo } from './http/types.ts';
export type { Hasher, HashResult, HashOptions, ResumeStore, UploadRecord, DownloadRecord, TransferRecord, ResumePart, PartLimiter, TransferProgressEvent } from './transfer/types.ts';
export type { ObjectHeaderOptions, ObjectAcl, BucketAcl, StorageClass, GrantHeaders } from './ops/headers.ts';
// <exports:sign>
export { getAuthorization, signPostPolicy, cosUrlEncode } from './auth/sign.ts';
export type { AuthorizationOptions } from './auth/sign.ts';
// </exports:sign>
// <exports:checksum>
export { crc64, crc64Combine, Crc64, md5Hex, md5Base64, Md5 } from './checksum/index.ts';
// </exports:checksum>
// <exports:object>
export type { TargetOptions } from './ops/common.ts';
export { putObject, getObject, headObject, readObjectMetadata } from './ops/object.ts';
export type {
  ObjectMetadata,
  ObjectConditions,
  ResponseOverrides,
  PutObjectInput,
  PutObjectOutput,
  GetObjectAs,
  GetObjectBodies,
  GetObjectInput,
  GetObjectOutput,
  HeadObjectInput,
  HeadObjectOutput,
} from './ops/object.ts';
export { deleteObject, deleteObjects, MAX_DELETE_KEYS } from './ops/delete.ts';
export type {
  DeleteObjectInput,
  DeleteObjectOutput,
  DeleteObjectsInput,
  DeleteObjectsOutput,
  DeletedObject,
  DeleteObjectError,
} from './ops/delete.ts';
export { copyObject, copySourceHeader } from './ops/copy.ts';
export type { CopyObjectInput, CopyObjectOutput, CopySource as CopyObjectSource, CopySourceConditions } from './ops/copy.ts';
export { appendObject } from './ops/append.ts';
export type { AppendObjectInput, AppendObjectOutput } from './ops/append.ts';
export { getObjectAcl, putObjectAcl, getBucketAcl, putBucketAcl, ALL_USERS_URI } from './ops/acl.ts';
export type {
  AccessControlPolicy,
  AclGrant,
  AclGrantee,
  AclPermission,
  GetAclOutput,
  GetObjectAclInput,
  PutObjectAclInput,
  PutBucketAclInput,
} from './ops/acl.ts';
// </exports:object>
// <exports:multipart>
export { createMultipartUpload, uploadPart, uploadPartCopy, completeMultipartUpload, abortMultipartUpload } from './ops/multipart.ts';
export type {
  CreateMultipartUploadInput,
  CreateMultipartUploadOutput,
  UploadPartInput,
  UploadPartOutput,
  UploadPartCopyInput,
  UploadPartCopyOutput,
  CompletedPart,
  CompleteMultipartUploadInput,
  CompleteMultipartUploadOutput,
  AbortMultipartUploadInput,
} from './ops/multipart.ts';
export { listParts, listMultipartUploads } from './ops/multipart-list.ts';
export type {
  ListPartsInput,
  ListPartsOutput,
  PartSummary,
  ListMultipartUploadsInput,
  ListMultipartUploadsOutput,
  MultipartUploadSummary,
} from './ops/multipart-list.ts';
// </exports:multipart>
// <exports:list>
export { listObjects, listObjectsPages, listAllObjects } from './ops/list.ts';
export type { ListObjectsInput, ListObjectsOutput, ObjectSummary } from './ops/list.ts';
export type { CosOwner } from './ops/common.ts';
// </exports:list>
// <exports:bucket>
export { createBucket, deleteBucket, headBucket, listBuckets } from './ops/bucket.ts';
export type { CreateBucketInput, CreateBucketOutput, HeadBucketOutput, ListBucketsInput, ListBucketsOutput, BucketSummary } from './ops/bucket.ts';
export {
  putBucketCors,
  getBucketCors,
  deleteBucketCors,
  putBucketLifecycle,
  getBucketLifecycle,
  deleteBucketLifecycle,
} from './ops/bucket-config.ts';
export type {
  CorsMethod,
  CorsRule,
  PutBucketCorsInput,
  GetBucketCorsOutput,
  LifecycleRule,
  LifecycleWhen,
  LifecycleTransition,
  PutBucketLifecycleInput,
  GetBucketLifecycleOutput,
} from './ops/bucket-config.ts';
// </exports:bucket>
// <exports:folder>
export { createFolder, listFolder, statFolder, statObject, updateObjectMeta, deleteFolder } from './ops/folder.ts';
export type {
  CreateFolderInput,
  CreateFolderOutput,
  ListFolderInput,
  ListFolderOutput,
  StatFolderInput,
  StatFolderOutput,
  StatObjectInput,
  StatObjectOutput,
  UpdateObjectMetaInput,
  UpdateObjectMetaOutput,
  DeleteFolderInput,
  DeleteFolderOutput,
  DeleteFolderProgress,
} from './ops/folder.ts';
// </exports:folder>
// <exports:url>
export { getObjectUrl, type GetObjectUrlInput } from './ops/url.ts';
export { encodeKey } from './http/endpoint.ts';
export { parseXml, buildXml } from './http/xml.ts';
// </exports:url>
// <exports:transfer>
export { UploadHandle } from './transfer/upload.ts';
export type { UploadFileInput, UploadFileResult, UploadState } from './transfer/upload.ts';
export { DownloadHandle } from './transfer/download.ts';
export type { DownloadFileInput, DownloadFileResult, DownloadState, DownloadOutput } from './transfer/download.ts';
export { folderKey } from './transfer/batch.ts';
export type {
  UploadFilesInput,
  UploadFilesResult,
  UploadFileEntry,
  UploadFolderInput,
  SharedUploadOptions,
  DownloadFolderInput,
  DownloadFolderResult,
  DownloadFolderEntry,
  FolderEntry,
} from './transfer/batch.ts';
export type { TransferTask, TransferEventMap } from './transfer/task.ts';
export { MainThreadHasher } from './transfer/hasher.ts';
export { MemoryResumeStore } from './transfer/memory-store.ts';
export type { MemoryResumeStoreOptions } from './transfer/memory-store.ts';
export { SimplePartLimiter, createPartLimiter } from './transfer/limiter.ts';
export { ProgressMeter } from './transfer/progress.ts';
export { uploadFingerprint, downloadFingerprint } from './transfer/fingerprint.ts';
// </exports:transfer>
