import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { cjkFontFiles, faceIn, glyphFont, type GlyphFont } from './cjk-font.js';
import { Raster, type Rgb } from './poster-raster.js';

/** What a place's poster shows. */
export interface PosterContent {
  name: string;
  address: string;
  /** Region names from the street down (who runs the place's area). */
  regionName: string;
  /** What the QR encodes: PUBLIC_URL/p/<code>. */
  url: string;
  code: string;
  checkpoint: boolean;
  /** GRIDLINE_CJK_FONT, when configured. */
  font?: string | undefined;
}

export const POSTER_TITLE = '场所码';
export const POSTER_SUBTITLE = '扫码登记 · 守护社区健康';

/** The instructions printed under the QR, in the order a person follows them. */
export function posterInstructions(checkpoint: boolean): string[] {
  return [
    '1. 用手机相机或微信“扫一扫”扫描上方二维码',
    '2. 居民：登录“社区防线”后点“我已到达”一键登记',
    '3. 访客：填写姓名和手机号即可完成登记',
    ...(checkpoint ? ['本场所设有卡口：请主动出示个人通行码并配合测温'] : []),
  ];
}
export const POSTER_PRIVACY = '登记信息加密保存，仅用于疫情防控追溯，不作他用';

const BLUE: Rgb = [22, 104, 220];
const INK: Rgb = [31, 31, 31];
const GREY: Rgb = [96, 96, 96];
const WHITE: Rgb = [255, 255, 255];

function qrMatrix(url: string): { size: number; dark(x: number, y: number): boolean } {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  return { size: qr.modules.size, dark: (x, y) => !!qr.modules.get(y, x) };
}

/** Breaks text into lines no wider than `max` px (CJK text may break between any two characters). */
function wrap(font: GlyphFont, text: string, size: number, max: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of [...text]) {
    if (line && Raster.measure(font, line + ch, size) > max) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = `${[...lines[maxLines - 1]!].slice(0, -1).join('')}…`;
  }
  return lines;
}

/** A4 portrait at 150 dpi (1240 × 1754 px). */
export async function renderPosterPng(c: PosterContent): Promise<Buffer> {
  const files = cjkFontFiles(c.font);
  const regular = glyphFont(files.regular);
  const bold = glyphFont(files.bold);
  const W = 1240;
  const H = 1754;
  const r = new Raster(W, H);
  const centered = (font: GlyphFont, text: string, y: number, size: number, color: Rgb) =>
    r.drawText(font, text, (W - Raster.measure(font, text, size)) / 2, y, size, color);

  r.fillRect(0, 0, W, 230, BLUE);
  centered(bold, POSTER_TITLE, 130, 96, WHITE);
  centered(regular, POSTER_SUBTITLE, 195, 38, WHITE);

  let y = 320;
  for (const line of wrap(bold, c.name, 64, W - 160, 2)) {
    centered(bold, line, y, 64, INK);
    y += 80;
  }
  for (const line of wrap(regular, [c.regionName, c.address].filter(Boolean).join(' · '), 34, W - 200, 2)) {
    centered(regular, line, y, 34, GREY);
    y += 48;
  }

  const qr = qrMatrix(c.url);
  const quiet = 4;
  const cell = Math.floor(760 / (qr.size + quiet * 2));
  const side = cell * (qr.size + quiet * 2);
  const qx = Math.round((W - side) / 2);
  const qy = Math.max(y + 10, 470);
  r.fillRect(qx - 6, qy - 6, side + 12, side + 12, BLUE);
  r.fillRect(qx, qy, side, side, WHITE);
  for (let my = 0; my < qr.size; my++) for (let mx = 0; mx < qr.size; mx++) if (qr.dark(mx, my)) r.fillRect(qx + (mx + quiet) * cell, qy + (my + quiet) * cell, cell, cell, INK);

  y = qy + side + 80;
  for (const line of posterInstructions(c.checkpoint)) {
    r.drawText(line.startsWith('本场所') ? bold : regular, line, 150, y, 36, line.startsWith('本场所') ? BLUE : INK);
    y += 56;
  }
  r.fillRect(0, H - 110, W, 110, [242, 245, 250]);
  centered(regular, POSTER_PRIVACY, H - 62, 28, GREY);
  centered(regular, `场所编码 ${c.code}`, H - 22, 24, GREY);
  return r.toPng();
}

/** A4 portrait PDF with the CJK font embedded (subset). */
export async function renderPosterPdf(c: PosterContent): Promise<Buffer> {
  const files = cjkFontFiles(c.font);
  const qrPng = await QRCode.toBuffer(c.url, { errorCorrectionLevel: 'M', margin: 2, width: 1000 });
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: `${POSTER_TITLE} · ${c.name}`, Subject: c.url, Creator: 'Gridline 社区防线' } });
  doc.registerFont('cjk', files.regular, faceIn(files.regular));
  doc.registerFont('cjk-bold', files.bold, faceIn(files.bold));
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const W = doc.page.width;
  const H = doc.page.height;
  const blue = '#1668dc';
  doc.rect(0, 0, W, 132).fill(blue);
  doc.fillColor('#ffffff').font('cjk-bold').fontSize(46).text(POSTER_TITLE, 0, 30, { width: W, align: 'center' });
  doc.font('cjk').fontSize(18).text(POSTER_SUBTITLE, 0, 92, { width: W, align: 'center' });
  doc.fillColor('#1f1f1f').font('cjk-bold').fontSize(30).text(c.name, 50, 165, { width: W - 100, align: 'center', height: 84, ellipsis: true });
  doc.fillColor('#606060').font('cjk').fontSize(15).text([c.regionName, c.address].filter(Boolean).join(' · '), 60, doc.y + 6, { width: W - 120, align: 'center', height: 44, ellipsis: true });
  const side = 340;
  const qy = Math.max(doc.y + 16, 270);
  doc.rect((W - side) / 2 - 4, qy - 4, side + 8, side + 8).fill(blue);
  doc.image(qrPng, (W - side) / 2, qy, { width: side, height: side });
  let y = qy + side + 36;
  for (const line of posterInstructions(c.checkpoint)) {
    const emphasis = line.startsWith('本场所');
    doc.fillColor(emphasis ? blue : '#1f1f1f').font(emphasis ? 'cjk-bold' : 'cjk').fontSize(16).text(line, 80, y, { width: W - 160 });
    y += 28;
  }
  doc.rect(0, H - 64, W, 64).fill('#f2f5fa');
  doc.fillColor('#606060').font('cjk').fontSize(12).text(POSTER_PRIVACY, 0, H - 50, { width: W, align: 'center' });
  doc.fontSize(10).text(`场所编码 ${c.code}`, 0, H - 30, { width: W, align: 'center' });
  doc.end();
  return done;
}
