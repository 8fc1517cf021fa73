import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { CosError } from '../errors.ts';
import { drained } from './drain.ts';

export interface ParsedForm {
  /** Lowercased field names; values as sent. */
  fields: Map<string, string>;
  file?: { filename: string; stream: Readable };
}

const MAX_FIELDS_BYTES = 256 * 1024;
const malformed = (msg: string) => new CosError(400, 'MalformedPOSTRequest', msg);

/**
 * Streaming multipart/form-data reader: fields are buffered (small, capped), the `file` part is handed out as a
 * stream that is fed as the request arrives, so a large upload never sits in memory. `file` must be last (Doc 14690).
 */
export async function readForm(req: IncomingMessage, boundary: string): Promise<ParsedForm> {
  const it = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const delim = Buffer.from(`\r\n--${boundary}`);
  // A leading CRLF makes the first boundary look like every other one.
  let buf: Buffer = Buffer.from('\r\n');
  let done = false;
  const more = async (): Promise<boolean> => {
    if (done) return false;
    const r = await it.next();
    if (r.done) {
      done = true;
      return false;
    }
    buf = buf.length ? Buffer.concat([buf, r.value]) : r.value;
    if (buf.length > MAX_FIELDS_BYTES + delim.length * 2 && buf.indexOf(delim) < 0) throw malformed('Form field too large');
    return true;
  };
  const until = async (needle: Buffer): Promise<number> => {
    for (;;) {
      const i = buf.indexOf(needle);
      if (i >= 0) return i;
      if (!(await more())) throw malformed('Unexpected end of form data');
    }
  };
  const fields = new Map<string, string>();
  let fieldBytes = 0;
  let i = await until(delim);
  buf = buf.subarray(i + delim.length);
  for (;;) {
    while (buf.length < 2) if (!(await more())) throw malformed('Unexpected end of form data');
    if (buf[0] === 0x2d && buf[1] === 0x2d) return { fields };
    const h = await until(Buffer.from('\r\n\r\n'));
    const head = buf.subarray(0, h).toString('utf8');
    buf = buf.subarray(h + 4);
    const disp = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    if (name === undefined) throw malformed('Form part without a name');
    if (name.toLowerCase() === 'file') {
      return { fields, file: { filename: filename ?? '', stream: pumpFile() } };
    }
    i = await until(delim);
    const value = buf.subarray(0, i).toString('utf8');
    fieldBytes += value.length + name.length;
    if (fieldBytes > MAX_FIELDS_BYTES) throw malformed('Form fields too large');
    fields.set(name.toLowerCase(), value);
    buf = buf.subarray(i + delim.length);
  }

  function pumpFile(): Readable {
    const out = new PassThrough({ highWaterMark: 64 * 1024 });
    void (async () => {
      for (;;) {
        const at = buf.indexOf(delim);
        if (at >= 0) {
          if (at > 0 && !out.write(buf.subarray(0, at))) {
            await drained(out);
            if (out.destroyed) return;
          }
          // Whatever follows the file part is ignored; drain it so the connection can be reused.
          while (await more()) buf = Buffer.alloc(0);
          out.end();
          return;
        }
        // Keep a tail that could be the start of a delimiter split across chunks.
        const safe = buf.length - (delim.length - 1);
        if (safe > 0) {
          const chunk = buf.subarray(0, safe);
          buf = buf.subarray(safe);
          if (!out.write(chunk)) {
            await drained(out);
            if (out.destroyed) return;
          }
        }
        if (!(await more())) {
          out.destroy(malformed('Form data ended inside the file part'));
          return;
        }
      }
    })().catch((e: unknown) => out.destroy(e as Error));
    return out;
  }
}
