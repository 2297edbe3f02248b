import fs from 'node:fs';
import path from 'node:path';

/**
 * Generated and uploaded files under DATA_DIR/files. Rows store paths relative to that root, so a data
 * directory can move; `resolve` refuses anything that would lead outside it.
 */
export class FileStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'files');
  }

  /** A fresh location in `area` (created on demand): the relative path to store and the absolute one to write. */
  place(area: 'jobs' | 'imports' | 'whistles', fileName: string): { rel: string; abs: string } {
    const dir = path.join(this.root, area);
    fs.mkdirSync(dir, { recursive: true });
    const rel = `${area}/${fileName}`;
    return { rel, abs: path.join(this.root, rel) };
  }

  resolve(rel: string): string {
    const abs = path.resolve(this.root, rel);
    if (!abs.startsWith(this.root + path.sep)) throw new Error(`File path ${rel} leaves the file store`);
    return abs;
  }

  exists(rel: string): boolean {
    return fs.existsSync(this.resolve(rel));
  }

  async remove(rel: string): Promise<void> {
    await fs.promises.rm(this.resolve(rel), { force: true });
  }
}

/**
 * Content-Disposition for a Chinese file name (RFC 6266 / RFC 5987): an ASCII fallback for old clients and
 * the exact UTF-8 name in `filename*`, which every current browser prefers.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]+/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** "20261129-1530" in Asia/Shanghai, for file names. */
export function fileStamp(ms: number): string {
  const iso = new Date(ms + 8 * 3600_000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** "2026-11-29 15:30" in Asia/Shanghai, for people. */
export function shanghaiDateTime(ms: number): string {
  const iso = new Date(ms + 8 * 3600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** A file name without characters that file systems or headers refuse. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').slice(0, 120);
}
