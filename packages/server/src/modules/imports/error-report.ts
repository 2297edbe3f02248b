import ExcelJS from 'exceljs';
import type { RowProblem } from './import-rows.js';

export const REPORT_HEADERS = ['行号', '列', '原值', '原因'] as const;

/** The rows an import left out and why, one line per problem, in row order; streamed, so any count fits. */
export async function writeErrorReport(file: string, problems: RowProblem[], meta: { creator: string; created: Date }): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = meta.creator;
  wb.created = meta.created;
  const ws = wb.addWorksheet('未导入的行', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: REPORT_HEADERS[0], key: 'row', width: 8 },
    { header: REPORT_HEADERS[1], key: 'column', width: 16 },
    { header: REPORT_HEADERS[2], key: 'value', width: 28 },
    { header: REPORT_HEADERS[3], key: 'reason', width: 70 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const p of problems) ws.addRow({ row: p.row, column: p.column, value: p.value, reason: p.reason }).commit();
  ws.commit();
  await wb.commit();
}
