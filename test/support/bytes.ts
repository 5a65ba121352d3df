import crypto from 'node:crypto';

/** Reproducible pseudo-random bytes: the same (offset, length) always gives the same bytes. */
export function deterministicBytes(offset: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let pos = 0;
  let block = Math.floor(offset / 32);
  let skip = offset % 32;
  while (pos < length) {
    const h = crypto.createHash('sha256').update(`block-${block}`).digest();
    const n = Math.min(32 - skip, length - pos);
    h.copy(out, pos, skip, skip + n);
    pos += n;
    skip = 0;
    block++;
  }
  return out;
}

export async function streamToBuffer(s: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
