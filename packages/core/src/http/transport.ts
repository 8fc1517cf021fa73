/**
 * One HTTP exchange, no policy: fetch, or XMLHttpRequest when upload progress is wanted (fetch has no upload
 * progress events in any browser today). Both resolve to a standard `Response`.
 */
import type { TransferProgress } from './types.ts';

export interface WireRequest {
  method: string;
  url: string;
  headers: Headers;
  body: BodyInit | undefined;
  signal: AbortSignal;
  onUploadProgress?: ((progress: TransferProgress) => void) | undefined;
  uploadTotal: number;
}

// Statuses whose Response may not carry a body (the Response constructor throws otherwise).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function transport(fetchImpl: typeof fetch, request: WireRequest): Promise<Response> {
  if (request.onUploadProgress && request.body !== undefined && typeof XMLHttpRequest !== 'undefined') {
    return viaXhr(request);
  }
  const sent = fetchImpl(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    signal: request.signal,
    // Credentials travel in the signature, never in cookies.
    credentials: 'omit',
    // 'no-store' makes Chromium add `Cache-Control: no-cache` to the request, which COS would store as the
    // object's metadata on PUT/POST: only reads opt out of the HTTP cache.
    ...(request.method === 'GET' || request.method === 'HEAD' ? { cache: 'no-store' as const } : {}),
  });
  if (request.onUploadProgress && request.uploadTotal > 0) {
    const report = request.onUploadProgress;
    return sent.then((response) => {
      report({ loaded: request.uploadTotal, total: request.uploadTotal });
      return response;
    });
  }
  return sent;
}

function viaXhr(request: WireRequest): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url, true);
    // Answers to uploads are small XML or empty: an ArrayBuffer costs nothing, a 'blob' response registers a new
    // Blob with the browser process for every part (measurable CPU per part with small parts).
    xhr.responseType = 'arraybuffer';
    xhr.withCredentials = false;
    request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
    const report = request.onUploadProgress!;
    xhr.upload.onprogress = (event) => report({ loaded: event.loaded, total: event.lengthComputable ? event.total : request.uploadTotal });
    const onAbort = () => xhr.abort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => request.signal.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      settle();
      // Chromium (156) fires no upload progress events while a service worker controls the page: always end at 100%.
      report({ loaded: request.uploadTotal, total: request.uploadTotal });
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const body = NULL_BODY.has(xhr.status) ? null : (xhr.response as ArrayBuffer | null);
      resolve(new Response(body, { status: xhr.status, headers }));
    };
    xhr.onerror = () => {
      settle();
      reject(new TypeError('Failed to fetch (XMLHttpRequest network error)'));
    };
    xhr.onabort = () => {
      settle();
      reject(request.signal.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    xhr.send(request.body as XMLHttpRequestBodyInit);
  });
}

/** Reads a body while reporting progress; `total` from Content-Length (0 when unknown). */
export async function readWithProgress(
  response: Response,
  onProgress: (progress: TransferProgress) => void,
): Promise<Blob> {
  const total = Number(response.headers.get('content-length') ?? 0) || 0;
  if (!response.body) {
    const blob = await response.blob();
    onProgress({ loaded: blob.size, total: total || blob.size });
    return blob;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress({ loaded, total });
  }
  return new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? '' });
}

/** Wraps a body stream so reading it reports progress. */
export function streamWithProgress(
  body: ReadableStream<Uint8Array>,
  total: number,
  onProgress: (progress: TransferProgress) => void,
): ReadableStream<Uint8Array> {
  let loaded = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        onProgress({ loaded, total });
        controller.enqueue(chunk);
      },
    }),
  );
}
