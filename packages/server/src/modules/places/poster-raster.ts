import zlib from 'node:zlib';
import type { GlyphFont } from './cjk-font.js';

/**
 * A small RGB canvas for the PNG poster: filled rectangles, text drawn from the font's glyph outlines (curves
 * flattened, filled by non-zero winding with 4 sub-scanlines and exact horizontal coverage for smooth edges),
 * and a PNG encoder. Gridline has no canvas library; this is the little of one a poster needs.
 */
export type Rgb = readonly [number, number, number];
type Point = [number, number];
const SUB = 4;

export class Raster {
  readonly pixels: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb = [255, 255, 255]) {
    this.pixels = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y0 = Math.max(0, Math.round(y));
    const y1 = Math.min(this.height, Math.round(y + h));
    if (x1 <= x0 || y1 <= y0) return;
    // One row is painted pixel by pixel, the others copied from it.
    const rowStart = (y0 * this.width + x0) * 3;
    for (let i = 0; i < x1 - x0; i++) {
      this.pixels[rowStart + i * 3] = color[0];
      this.pixels[rowStart + i * 3 + 1] = color[1];
      this.pixels[rowStart + i * 3 + 2] = color[2];
    }
    const row = this.pixels.subarray(rowStart, rowStart + (x1 - x0) * 3);
    for (let yy = y0 + 1; yy < y1; yy++) this.pixels.set(row, (yy * this.width + x0) * 3);
  }

  private blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (alpha <= 0) return;
    const i = (y * this.width + x) * 3;
    const a = Math.min(1, alpha);
    for (let c = 0; c < 3; c++) this.pixels[i + c] = Math.round(this.pixels[i + c]! * (1 - a) + color[c]! * a);
  }

  /** Fills closed polygons (device pixels) by the non-zero winding rule, anti-aliased. */
  fillPolygons(polygons: Point[][], color: Rgb): void {
    const edges: { x0: number; y0: number; x1: number; y1: number; dir: number }[] = [];
    let minY = Infinity;
    let maxY = -Infinity;
    let minX = Infinity;
    let maxX = -Infinity;
    for (const poly of polygons) {
      for (let i = 0; i < poly.length; i++) {
        const [ax, ay] = poly[i]!;
        const [bx, by] = poly[(i + 1) % poly.length]!;
        minX = Math.min(minX, ax);
        maxX = Math.max(maxX, ax);
        if (ay === by) continue;
        edges.push(ay < by ? { x0: ax, y0: ay, x1: bx, y1: by, dir: 1 } : { x0: bx, y0: by, x1: ax, y1: ay, dir: -1 });
        minY = Math.min(minY, ay, by);
        maxY = Math.max(maxY, ay, by);
      }
    }
    if (!edges.length) return;
    // Edges enter the active list in order of their top and leave it below their bottom.
    edges.sort((a, b) => a.y0 - b.y0);
    let next = 0;
    let active: typeof edges = [];
    const left = Math.max(0, Math.floor(minX));
    const right = Math.min(this.width, Math.ceil(maxX) + 1);
    const cov = new Float32Array(right - left + 1);
    for (let y = Math.max(0, Math.floor(minY)); y < Math.min(this.height, Math.ceil(maxY)); y++) {
      cov.fill(0);
      while (next < edges.length && edges[next]!.y0 < y + 1) active.push(edges[next++]!);
      active = active.filter((e) => e.y1 > y);
      for (let s = 0; s < SUB; s++) {
        const sy = y + (s + 0.5) / SUB;
        const hits: { x: number; dir: number }[] = [];
        for (const e of active) if (sy >= e.y0 && sy < e.y1) hits.push({ x: e.x0 + ((sy - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), dir: e.dir });
        hits.sort((a, b) => a.x - b.x);
        let winding = 0;
        for (let i = 0; i < hits.length - 1; i++) {
          winding += hits[i]!.dir;
          if (winding !== 0) this.span(cov, left, hits[i]!.x, hits[i + 1]!.x);
        }
      }
      for (let x = left; x < right; x++) this.blend(x, y, color, cov[x - left]! / SUB);
    }
  }

  /** Adds the coverage of [xa, xb) on one sub-scanline, with fractional ends. */
  private span(cov: Float32Array, left: number, xa: number, xb: number): void {
    const a = Math.max(xa, left);
    const b = Math.min(xb, left + cov.length - 1);
    if (b <= a) return;
    const ia = Math.floor(a);
    const ib = Math.floor(b);
    if (ia === ib) {
      cov[ia - left]! += b - a;
      return;
    }
    cov[ia - left]! += ia + 1 - a;
    for (let x = ia + 1; x < ib; x++) cov[x - left]! += 1;
    cov[ib - left]! += b - ib;
  }

  /** Width of `text` at `size` px. */
  static measure(font: GlyphFont, text: string, size: number): number {
    const run = font.layout(text);
    return run.positions.reduce((w, p) => w + p.xAdvance, 0) * (size / font.unitsPerEm);
  }

  /** Draws one line of text with its baseline at `y`, starting at `x`. */
  drawText(font: GlyphFont, text: string, x: number, y: number, size: number, color: Rgb): void {
    const scale = size / font.unitsPerEm;
    const run = font.layout(text);
    let penX = x;
    run.glyphs.forEach((glyph, i) => {
      const pos = run.positions[i]!;
      const ox = penX + pos.xOffset * scale;
      const oy = y - pos.yOffset * scale;
      const polygons = outline(glyph.path.commands, (px, py) => [ox + px * scale, oy - py * scale], Math.max(4, Math.ceil(size / 8)));
      this.fillPolygons(polygons, color);
      penX += pos.xAdvance * scale;
    });
  }

  /** The canvas as an 8-bit RGB PNG. */
  toPng(): Buffer {
    const rowBytes = this.width * 3;
    const raw = Buffer.alloc((rowBytes + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      raw[y * (rowBytes + 1)] = 0;
      Buffer.from(this.pixels.buffer, this.pixels.byteOffset + y * rowBytes, rowBytes).copy(raw, y * (rowBytes + 1) + 1);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header.set([8, 2, 0, 0, 0], 8);
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', zlib.deflateSync(raw, { level: 6 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length, 0);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed), 0);
  return Buffer.concat([len, typed, crc]);
}

/** Glyph path commands (font units) → closed polygons in device pixels; curves become `steps` segments. */
function outline(commands: { command: string; args: number[] }[], map: (x: number, y: number) => Point, steps: number): Point[][] {
  const polygons: Point[][] = [];
  let current: Point[] = [];
  let cx = 0;
  let cy = 0;
  const close = () => {
    if (current.length > 2) polygons.push(current);
    current = [];
  };
  for (const { command, args: a } of commands) {
    if (command === 'moveTo') {
      close();
      [cx, cy] = [a[0]!, a[1]!];
      current.push(map(cx, cy));
    } else if (command === 'lineTo') {
      [cx, cy] = [a[0]!, a[1]!];
      current.push(map(cx, cy));
    } else if (command === 'quadraticCurveTo') {
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        current.push(map(u * u * cx + 2 * u * t * a[0]! + t * t * a[2]!, u * u * cy + 2 * u * t * a[1]! + t * t * a[3]!));
      }
      [cx, cy] = [a[2]!, a[3]!];
    } else if (command === 'bezierCurveTo') {
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        const x = u * u * u * cx + 3 * u * u * t * a[0]! + 3 * u * t * t * a[2]! + t * t * t * a[4]!;
        const y = u * u * u * cy + 3 * u * u * t * a[1]! + 3 * u * t * t * a[3]! + t * t * t * a[5]!;
        current.push(map(x, y));
      }
      [cx, cy] = [a[4]!, a[5]!];
    } else if (command === 'closePath') {
      close();
    }
  }
  close();
  return polygons;
}
