/**
 * Small JPEG previews of uploaded documents, for lists (96 px, shown at 48 px on 2× screens)
 * and a document's page (640 px), so a phone on a slow network never downloads a 10 MB
 * photo to draw a thumbnail.
 *
 * - Photos (JPEG, PNG): sharp (libvips from npm). EXIF orientation applied, metadata
 *   (GPS position, camera) dropped, transparency on white. At most MAX_PIXELS input pixels:
 *   an image that claims more (a decompression bomb) gets no preview.
 * - PDFs: the first page rendered by poppler's `pdftoppm` when it is installed (Debian
 *   `poppler-utils`), at a lower CPU priority, killed after RENDER_TIMEOUT_MS and capped in
 *   output. Without it PDFs simply have no preview — the pages then show a PDF badge.
 *
 * Previews are made on first request, at most MAX_CONCURRENT at once, and kept in memory by
 * the document's SHA-256 (bounded in bytes). A document never changes under its id, so
 * browsers may keep them too. Failures are remembered for a while so a broken file is not
 * rendered again on every page view.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { programSearchPath } from '../config/index.ts';

export type PreviewSize = 'small' | 'large';
export const PREVIEW_PX: Record<PreviewSize, number> = { small: 96, large: 640 };

const MAX_PIXELS = 40_000_000;
const RENDER_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 2 * 1024 * 1024;
const MAX_CONCURRENT = 2;
const FAILURE_TTL_MS = 10 * 60_000;

export interface PreviewMaker {
  /** Whether documents of this type get previews here (photos always; PDFs when pdftoppm is installed). */
  supports(mime: string): boolean;
  /**
   * The JPEG preview of a document, or null when none can be made (damaged file, too many
   * pixels, a PDF that takes too long). `sha256` keys the cache; `read` gives the bytes.
   */
  preview(sha256: string, mime: string, size: PreviewSize, read: () => Promise<Buffer>): Promise<Buffer | null>;
}

export interface PreviewOptions {
  /** The command that runs pdftoppm; null turns PDF previews off. Default: found on `searchPath` (see findPdftoppm). */
  pdftoppm?: string[] | null;
  /** Where to look for pdftoppm and prlimit. Default: PATH (config's programSearchPath). */
  searchPath?: string[];
  cacheBytes?: number;
  now?: () => number;
}

/** Whether `cmd` is an executable file in one of `dirs` (a few stat calls; no process is started). */
function onPath(cmd: string, dirs: string[]): boolean {
  return dirs.some((dir) => {
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The command that renders a PDF page: pdftoppm, inside `prlimit` when util-linux has it
 * (512 MB of address space, 15 s of CPU), since the PDF is whatever a citizen uploaded.
 * Looked up once, on the first PDF, without blocking the event loop on a child process.
 */
function findPdftoppm(dirs: string[]): string[] | null {
  if (!onPath('pdftoppm', dirs)) return null;
  return onPath('prlimit', dirs) ? ['prlimit', `--as=${512 * 1024 * 1024}`, '--cpu=15', '--', 'pdftoppm'] : ['pdftoppm'];
}

export function createPreviewMaker(options: PreviewOptions = {}): PreviewMaker {
  let pdftoppm: string[] | null | undefined = options.pdftoppm;
  const now = options.now ?? Date.now;
  const maxBytes = options.cacheBytes ?? 16 * 1024 * 1024;
  const cache = new Map<string, Buffer>();
  const failed = new Map<string, number>();
  const inFlight = new Map<string, Promise<Buffer | null>>();
  let cached = 0;
  let running = 0;
  const waiting: Array<() => void> = [];

  const pdfRenderer = () => {
    if (pdftoppm === undefined) pdftoppm = findPdftoppm(options.searchPath ?? programSearchPath());
    return pdftoppm;
  };

  async function slot<T>(fn: () => Promise<T>): Promise<T> {
    if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  function keep(key: string, jpeg: Buffer): void {
    if (jpeg.length > maxBytes) return;
    while (cached + jpeg.length > maxBytes) {
      const [oldest, buf] = cache.entries().next().value!;
      cache.delete(oldest);
      cached -= buf.length;
    }
    cache.set(key, jpeg);
    cached += jpeg.length;
  }

  const supports = (mime: string) => mime === 'image/jpeg' || mime === 'image/png' || (mime === 'application/pdf' && pdfRenderer() !== null);

  return {
    supports,

    async preview(sha256, mime, size, read) {
      if (!supports(mime)) return null;
      const key = `${sha256}:${size}`;
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const failedAt = failed.get(key);
      if (failedAt !== undefined && now() - failedAt < FAILURE_TTL_MS) return null;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = slot(async () => {
          const bytes = await read();
          return mime === 'application/pdf' ? renderPdfPage(pdfRenderer()!, bytes, PREVIEW_PX[size]) : resizeImage(bytes, PREVIEW_PX[size]);
        })
          .catch(() => null)
          .then((jpeg) => {
            if (jpeg) keep(key, jpeg);
            else {
              if (failed.size >= 10_000) failed.clear();
              failed.set(key, now());
            }
            return jpeg;
          })
          .finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}

let sharpModule: Promise<typeof import('sharp')> | null = null;

async function resizeImage(bytes: Buffer, px: number): Promise<Buffer> {
  sharpModule ??= import('sharp').then((m) => {
    const sharp = m.default;
    // libvips keeps its own cache of decoded images and uses a thread per core: neither is
    // wanted for one small preview at a time beside a web server.
    sharp.cache(false);
    sharp.concurrency(1);
    return m;
  });
  const sharp = (await sharpModule).default;
  return sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
    .rotate()
    .resize({ width: px, height: px, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 72, mozjpeg: true })
    .toBuffer();
}

/** The first page as JPEG, `px` on its longer side, by pdftoppm reading the PDF from stdin. */
function renderPdfPage(command: string[], pdf: Buffer, px: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, [...command.slice(1), '-f', '1', '-l', '1', '-singlefile', '-scale-to', String(px), '-jpeg', '-jpegopt', 'quality=72', '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (out: Buffer | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(out);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(null);
    }, RENDER_TIMEOUT_MS);
    try {
      if (child.pid) os.setPriority(child.pid, 10);
    } catch {
      // Not allowed here: it runs at our priority.
    }
    child.on('error', () => done(null));
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_OUTPUT_BYTES) {
        child.kill('SIGKILL');
        done(null);
      } else chunks.push(c);
    });
    child.on('close', (code) => {
      const out = Buffer.concat(chunks);
      done(code === 0 && out.length > 2 && out[0] === 0xff && out[1] === 0xd8 ? out : null);
    });
    // A PDF pdftoppm stops reading early (damaged) must not crash us with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(pdf);
  });
}
