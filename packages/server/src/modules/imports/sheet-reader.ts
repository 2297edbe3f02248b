import fs from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { normalizeText } from '@gridline/shared';
import { AppError } from '../../lib/errors.js';

export type SheetFormat = 'xlsx' | 'csv';
export type SheetEncoding = 'utf-8' | 'gbk' | 'xlsx';

/** One row as people see it: its spreadsheet row number and its cells as text. */
export interface SheetRow {
  row: number;
  cells: string[];
  /** Cells that held a number too long for Excel to keep exactly (an ID number typed as a number). */
  lossy: Set<number> | null;
}

export function invalidFile(message: string, cause?: unknown): AppError {
  return new AppError('GRIDLINE_IMPORT_INVALID', { fields: [{ path: '/body/file', code: 'format', message }], cause });
}

/** By content, not by name: an .xlsx is a zip; an old .xls is an OLE container; anything else must be text. */
export function detectFormat(head: Buffer, fileName: string): SheetFormat {
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw invalidFile('不支持 .xls（Excel 97-2003）格式，请在 Excel 中“另存为” .xlsx 或 .csv 后再上传');
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw invalidFile('不支持 UTF-16 编码的文本，请另存为“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV');
  }
  if (head.includes(0)) throw invalidFile(`无法识别文件“${fileName}”的格式，仅支持 .xlsx 或 .csv 文件`);
  return 'csv';
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8; otherwise GBK (read as GB18030, its superset). */
export function detectEncoding(bytes: Buffer): 'utf-8' | 'gbk' {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

/** The field separator of a text table: the most frequent of comma, tab and semicolon in its first line. */
function sniffDelimiter(firstChunk: string): string {
  const line = firstChunk.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const counts = [',', '\t', ';'].map((d) => [d, line.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best), [',', 0] as const)[0];
}

async function* csvRows(file: string, encoding: 'utf-8' | 'gbk'): AsyncGenerator<SheetRow> {
  const codec = encoding === 'gbk' ? 'gb18030' : 'utf8';
  const fd = await fs.promises.open(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  const { bytesRead } = await fd.read(head, 0, head.length, 0);
  await fd.close();
  const delimiter = sniffDelimiter(iconv.decode(head.subarray(0, bytesRead), codec));
  // iconv's UTF-8 decoder drops a byte-order mark; the parser sees clean text either way.
  const parser = fs
    .createReadStream(file)
    .pipe(iconv.decodeStream(codec))
    .pipe(parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield { row: ++row, cells: record, lossy: null };
  } catch (err) {
    throw invalidFile(`CSV 文件在第 ${row + 1} 行附近格式有误（如引号不成对），请用 Excel 打开后重新“另存为” CSV 再上传`, err);
  }
}

function cellText(value: unknown, index: number, lossy: Set<number>): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) lossy.add(index);
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) {
    // Excel dates arrive as UTC instants of the local date; round away floating-point noise first.
    return new Date(Math.round(value.getTime() / 1000) * 1000).toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (v.richText) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result, index, lossy);
    if (typeof v.text === 'string') return v.text;
    if (v.text !== undefined) return cellText(v.text, index, lossy);
  }
  return '';
}

/** The parts of exceljs's streaming reader (4.4.0, pinned) that read a zip entry's XML. */
interface ReaderInternals {
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterable: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * exceljs's streaming reader decodes each decompressed chunk on its own, so a Chinese character split
 * across two chunks becomes "��" (a few cells in every few thousand rows). Handing its XML parser text
 * decoded across chunk boundaries instead (it passes strings through untouched) reads every character.
 */
function workbookReader(input: fs.ReadStream): ExcelJS.stream.xlsx.WorkbookReader {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  });
  const internals = reader as unknown as ReaderInternals;
  for (const name of ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings', '_parseWorksheet'] as const) {
    if (typeof internals[name] !== 'function') throw new Error(`exceljs WorkbookReader.${name} is gone: re-check the UTF-8 fix in sheet-reader.ts`);
  }
  for (const name of ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings'] as const) {
    const original = internals[name].bind(reader) as (entry: NodeJS.ReadableStream) => never;
    internals[name] = (entry: NodeJS.ReadableStream) => original(entry.setEncoding('utf8'));
  }
  const parseWorksheet = internals._parseWorksheet.bind(reader);
  internals._parseWorksheet = (iterable, sheetNo) => parseWorksheet(utf8Text(iterable), sheetNo);
  return reader;
}

/**
 * Rows of the first worksheet. The reader is run to its end even so: Excel stores sheets before the shared
 * strings, so exceljs parks each sheet in a temporary file and removes it only after the sheet was read.
 */
async function* xlsxRows(file: string): AsyncGenerator<SheetRow> {
  const input = fs.createReadStream(file);
  const reader = workbookReader(input);
  let first = true;
  try {
    for await (const sheet of reader) {
      for await (const r of sheet) {
        if (!first) continue;
        const values = r.values as unknown[];
        const lossy = new Set<number>();
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c], c - 1, lossy));
        yield { row: r.number, cells, lossy: lossy.size ? lossy : null };
      }
      first = false;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalidFile('无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式', err);
  } finally {
    input.destroy();
  }
}

function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** Header names as the mapping uses them: trimmed, unique, never empty. */
function headerNames(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1]!.trim() === '') end--;
  const seen = new Map<string, number>();
  return cells.slice(0, end).map((raw, i) => {
    const base = normalizeText(raw) || `第${i + 1}列`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}（${n}）`;
  });
}

export interface Table {
  headerRow: number;
  headers: string[];
  /** Data rows after the header, blank rows left out (their numbers are kept by the rows that follow). */
  rows: AsyncGenerator<SheetRow>;
}

/**
 * Opens a table: the header is the first non-empty row — except a leading one-cell row, which is the title
 * most official forms carry ("××社区居民信息登记表"), and which the export writes too.
 */
export async function openTable(file: string, format: SheetFormat, encoding: SheetEncoding): Promise<Table> {
  const raw = format === 'xlsx' ? xlsxRows(file) : csvRows(file, encoding === 'gbk' ? 'gbk' : 'utf-8');
  let header: SheetRow | undefined;
  let title: SheetRow | undefined;
  for (;;) {
    const next = await raw.next();
    if (next.done) break;
    if (isBlank(next.value.cells)) continue;
    const filled = next.value.cells.filter((c) => c.trim() !== '').length;
    if (filled === 1 && !title) {
      title = next.value;
      continue;
    }
    header = next.value;
    break;
  }
  header ??= title;
  if (!header) throw invalidFile('文件中没有任何内容');
  async function* rows(): AsyncGenerator<SheetRow> {
    for await (const r of raw) if (!isBlank(r.cells)) yield r;
  }
  return { headerRow: header.row, headers: headerNames(header.cells), rows: rows() };
}
