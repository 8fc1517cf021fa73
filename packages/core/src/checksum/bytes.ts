/** Anything the checksums accept as bytes. */
export type BytesLike = Uint8Array | ArrayBuffer | ArrayBufferView;

let utf8: TextEncoder | undefined;

/** A Uint8Array over the same memory (no copy); strings become their UTF-8 bytes. */
export function toBytes(data: BytesLike | string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') return (utf8 ??= new TextEncoder()).encode(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Not `instanceof ArrayBuffer`: buffers from another realm (a worker message, an iframe) fail that test.
  return new Uint8Array(data);
}
