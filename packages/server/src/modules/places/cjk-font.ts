import fs from 'node:fs';
import { createRequire } from 'node:module';
import { AppError } from '../../lib/errors.js';

/**
 * fontkit (pdfkit's own font engine, installed with it) ships no types: required as CommonJS with just the one
 * function the posters use declared here.
 */
const fontkit = createRequire(import.meta.url)('fontkit') as { openSync(path: string, postscriptName?: string): unknown };

/**
 * Chinese text on posters needs a CJK font; none ships with Gridline. Debian/Ubuntu's fonts-noto-cjk is looked
 * for first (what .ci/run installs), then the usual places other distributions put Noto Sans CJK / Source Han
 * Sans. GRIDLINE_CJK_FONT may name a file (a .ttc collection: its Simplified Chinese face is used).
 */
const CANDIDATES: { regular: string; bold?: string }[] = [
  { regular: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc' },
  { regular: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc' },
];

export interface CjkFontFiles {
  regular: string;
  bold: string;
}

/** The face to use inside a collection: Simplified Chinese where the collection has several. */
export function faceIn(file: string): string | undefined {
  if (!file.endsWith('.ttc')) return undefined;
  const collection = fontkit.openSync(file) as unknown as { fonts?: { postscriptName: string }[] };
  const names = collection.fonts?.map((f) => f.postscriptName) ?? [];
  return names.find((n) => /CJKsc-/.test(n) && !/Mono/.test(n)) ?? names.find((n) => /sc|SC|Hans/.test(n)) ?? names[0];
}

const found = new Map<string, CjkFontFiles | null>();

/** Finds the font files once per process; a clear error (naming the package to install) when there are none. */
export function cjkFontFiles(configured: string | undefined): CjkFontFiles {
  let files = found.get(configured ?? '');
  if (files === undefined) {
    const list = configured ? [{ regular: configured }] : CANDIDATES;
    const hit = list.find((c) => fs.existsSync(c.regular));
    files = hit ? { regular: hit.regular, bold: hit.bold && fs.existsSync(hit.bold) ? hit.bold : hit.regular } : null;
    found.set(configured ?? '', files);
  }
  if (!files) {
    throw new AppError('GRIDLINE_INTERNAL', {
      message: `No CJK font found for posters: install fonts-noto-cjk (looked for ${configured ?? CANDIDATES.map((c) => c.regular).join(', ')}) or set GRIDLINE_CJK_FONT`,
      details: { problem: '服务器缺少中文字体（fonts-noto-cjk），无法生成场所码海报，请联系系统管理员安装后重试' },
    });
  }
  return files;
}

export interface GlyphFont {
  unitsPerEm: number;
  ascent: number;
  layout(text: string): { glyphs: { path: { commands: { command: string; args: number[] }[] } }[]; positions: { xAdvance: number; xOffset: number; yOffset: number }[] };
}

const faces = new Map<string, GlyphFont>();

/** A parsed face for drawing glyph outlines (the PNG poster), cached per file. */
export function glyphFont(file: string): GlyphFont {
  let face = faces.get(file);
  if (!face) {
    const postscriptName = faceIn(file);
    face = (postscriptName ? fontkit.openSync(file, postscriptName) : fontkit.openSync(file)) as unknown as GlyphFont;
    faces.set(file, face);
  }
  return face;
}
