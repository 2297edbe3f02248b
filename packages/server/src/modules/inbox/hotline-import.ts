import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mapHotlineHeaders, HOTLINE_FIELD_LABELS, validateHotlineTicket, type HotlineField, type HotlineTicket, type RowError } from '@gridline/shared';
import { detectEncoding, detectFormat, invalidFile } from '../imports/sheet-reader.js';

/** Largest 12345 export accepted at once (a day's tickets of a street are a few hundred rows). */
export const MAX_HOTLINE_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_HOTLINE_ROWS = 5000;

/** Excel keeps local date-times as UTC instants of the wall-clock time: write them back as Shanghai wall-clock text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const d = new Date(Math.round(value.getTime() / 1000) * 1000).toISOString();
    return `${d.slice(0, 10)} ${d.slice(11, 19)}`;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (v.richText) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if (typeof v.text === 'string') return v.text;
    return '';
  }
  return String(value);
}

async function readRows(bytes: Buffer, fileName: string): Promise<{ row: number; cells: string[] }[]> {
  const format = detectFormat(bytes.subarray(0, 8), fileName);
  if (format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (err) {
      throw invalidFile('无法读取该 .xlsx 文件，请确认文件未损坏', err);
    }
    const ws = wb.worksheets[0];
    if (!ws) throw invalidFile('文件中没有工作表');
    const out: { row: number; cells: string[] }[] = [];
    ws.eachRow({ includeEmpty: false }, (r, n) => {
      const values = Array.isArray(r.values) ? r.values.slice(1) : [];
      out.push({ row: n, cells: values.map((v) => cellText(v as ExcelJS.CellValue).trim()) });
    });
    return out;
  }
  const text = iconv.decode(bytes, detectEncoding(bytes) === 'gbk' ? 'gb18030' : 'utf8').replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (err) {
    throw invalidFile('CSV 格式有误（引号不成对或分隔符不一致），请检查后重新上传', err);
  }
  return records.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.trim()) })).filter((r) => r.cells.some((c) => c !== ''));
}

/**
 * Reads a 12345 ticket export (CSV in UTF-8/GBK, or XLSX): the first non-empty row is the header, mapped by its
 * Chinese names. Every row is validated; each problem is reported with its row number and field in Chinese, and
 * the good rows are returned to be stored.
 */
export async function readHotlineFile(bytes: Buffer, fileName: string): Promise<{ tickets: { row: number; ticket: HotlineTicket }[]; errors: RowError[] }> {
  const rows = await readRows(bytes, fileName);
  const header = rows[0];
  if (!header) throw invalidFile('文件中没有任何内容');
  const { columns, missing } = mapHotlineHeaders(header.cells);
  if (missing.length) throw invalidFile(`缺少必需的列：${missing.map((f) => HOTLINE_FIELD_LABELS[f]).join('、')}（表头须在第一行）`);
  const data = rows.slice(1);
  if (data.length > MAX_HOTLINE_ROWS) throw invalidFile(`一次最多导入 ${MAX_HOTLINE_ROWS} 行，请分批导入`);
  const tickets: { row: number; ticket: HotlineTicket }[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const r of data) {
    const cells: Partial<Record<HotlineField, string>> = {};
    for (const [field, i] of Object.entries(columns) as [HotlineField, number][]) cells[field] = r.cells[i] ?? '';
    const v = validateHotlineTicket(cells, r.row);
    if (!v.ok) {
      errors.push(...v.errors);
      continue;
    }
    const earlier = seen.get(v.ticket.ticketNo);
    if (earlier !== undefined) {
      errors.push({ row: r.row, field: 'ticketNo', message: `第 ${r.row} 行「工单编号」${v.ticket.ticketNo} 与第 ${earlier} 行重复` });
      continue;
    }
    seen.set(v.ticket.ticketNo, r.row);
    tickets.push({ row: r.row, ticket: v.ticket });
  }
  return { tickets, errors };
}
