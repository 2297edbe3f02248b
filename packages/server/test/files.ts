import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Job } from '@gridline/shared';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './harness.js';

/** A multipart/form-data body with one file part, as a browser's FormData sends it (raw UTF-8 file name). */
export function multipart(fileName: string, content: Buffer, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----gridline${crypto.randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function upload(t: TestApp, cookie: string, fileName: string, content: Buffer): Promise<LightMyRequestResponse> {
  const body = multipart(fileName, content);
  return t.app.inject({ method: 'POST', url: '/api/imports/residents', payload: body.payload, headers: { ...body.headers, cookie } });
}

/** Waits until the job has finished (this process runs jobs in the background) and returns it as its owner sees it. */
export async function finished(t: TestApp, cookie: string, id: string): Promise<Job> {
  await t.ctx.services.queue.idle();
  const res = await t.app.inject({ url: `/api/jobs/${id}`, headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`job ${id}: ${res.statusCode} ${res.body}`);
  return res.json<Job>();
}

export async function download(t: TestApp, cookie: string, id: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ url: `/api/jobs/${id}/download`, headers: { cookie } });
}

/** CSV text with quoting where needed. */
export function csv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}

export async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every row of the first worksheet as text (row 1 first), and the workbook's properties. */
export async function readXlsx(buf: Buffer): Promise<{ rows: string[][]; creator: string | undefined; created: Date | undefined; title: string | undefined }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const values = row.values as unknown[];
    rows.push(values.slice(1).map((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number))));
  });
  return { rows, creator: wb.creator, created: wb.created, title: wb.title };
}
