export { crc64, crc64Combine, Crc64 } from './crc64.ts';
export { md5Hex, md5Base64, Md5 } from './md5.ts';
export type { BytesLike } from './bytes.ts';
