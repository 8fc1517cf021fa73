/**
 * Disk-backed bench files. Chromium refuses in-memory Blobs of hundreds of MiB (ERR_BLOB_OUT_OF_MEMORY), and a
 * user's file is on disk anyway, so the harness writes real files and hands their paths to an `<input type=file>`.
 */
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';

const MiB = 1024 * 1024;

/**
 * Writes `sizeMiB` MiB to `path`: one random 1 MiB block, repeated, with the MiB index stamped into its first 8
 * bytes so no two parts are identical (a server or client that dedupes or caches by content cannot look faster).
 * Writing (not hashing) keeps this to ~1 s per GiB.
 */
export async function writeBenchFile(path: string, sizeMiB: number): Promise<void> {
  if (!Number.isInteger(sizeMiB) || sizeMiB < 1) throw new Error(`bench file size must be a whole number of MiB >= 1; got ${sizeMiB}`);
  const block = randomBytes(MiB);
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < sizeMiB; i++) {
      block.writeUInt32LE(i, 0);
      block.writeUInt32LE(0x636f736b, 4); // "cosk": marks the stamp
      await handle.write(block, 0, MiB);
    }
  } finally {
    await handle.close();
  }
}

/** Removes bench files; missing ones are fine (a failed run may not have written them all). */
export async function removeBenchFiles(paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true })));
}
