import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import {
  DOCUMENT_TYPE_LABELS, RELATION_LABELS, RESIDENCE_STATUS_LABELS, VULNERABILITY_TAG_LABELS, type DocumentType, type ExportResidentsBody, type Relation,
  type ResidenceStatus, type VulnerabilityTag,
} from '@gridline/shared';
import type { Db, ResidentsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { AuditService } from '../audit/audit.service.js';
import { fileStamp, safeFileName, shanghaiDateTime, type FileStore } from '../jobs/job-files.js';
import type { JobContext, JobOutcome } from '../jobs/job-queue.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { SORT_COLUMNS } from '../residents/residents.repository.js';
import type { ResidentsService } from '../residents/residents.service.js';

export interface ExportJobPayload {
  filters: ExportResidentsBody['filters'];
  /** Set: full document numbers and phones, for this stated purpose. */
  purpose: string | null;
  node: string;
  nodeName: string;
}

export interface ExportDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cipher: PersonalDataCipher;
  files: FileStore;
  residents: ResidentsService;
}

const BATCH_ROWS = 1000;

/** The register's columns; the headers are ones the import recognizes, so an export can be edited and re-imported. */
const COLUMNS = [
  { header: '社区', width: 14 }, { header: '网格', width: 12 }, { header: '楼栋', width: 8 }, { header: '单元', width: 8 }, { header: '门牌号', width: 8 },
  { header: '姓名', width: 10 }, { header: '性别', width: 6 }, { header: '出生日期', width: 12 }, { header: '证件类型', width: 12 }, { header: '证件号码', width: 22 },
  { header: '手机号码', width: 14 }, { header: '与户主关系', width: 10 }, { header: '人员类别', width: 9 }, { header: '标签', width: 20 }, { header: '备注', width: 24 },
] as const;

/**
 * Writes the filtered register to .xlsx with exceljs's streaming writer, walking the residents in keyset
 * batches (never the whole register in memory), then records the export — purpose, rows, masked or not —
 * in the audit log before the file becomes downloadable.
 */
export async function runExport(deps: ExportDeps, job: JobContext, p: ExportJobPayload): Promise<JobOutcome> {
  const { db, clock, cipher, files } = deps;
  const scope = job.scope.require('resident.read');
  if (p.purpose) scope.require('resident.unmask');
  const { query } = deps.residents.filteredQuery(scope, p.filters);
  const sortColumn = SORT_COLUMNS[p.filters.sort ?? 'regionCode'];
  const order = p.filters.order ?? 'asc';
  const now = clock.now();
  const a = scope.actor;

  const part = files.place('jobs', `${job.jobId}.xlsx.part`);
  const final = files.place('jobs', `${job.jobId}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: part.abs, useStyles: true, useSharedStrings: false });
  wb.creator = `${a.displayName}（${a.username}）`;
  wb.created = new Date(now);
  wb.title = `居民名单 · ${p.nodeName}`;
  wb.description = p.purpose ? `含完整证件号码和手机号，用途：${p.purpose}` : '证件号码和手机号已脱敏';
  const ws = wb.addWorksheet('居民名单', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = COLUMNS.map((c) => ({ width: c.width }));
  const title = ws.addRow([
    `居民名单 · ${p.nodeName} · 导出人：${a.displayName}（${a.username}） · 导出时间：${shanghaiDateTime(now)}（北京时间） · ${p.purpose ? `含完整证件号码和手机号（用途：${p.purpose}）` : '证件号码和手机号已脱敏'}`,
  ]);
  title.font = { bold: true };
  ws.mergeCells(1, 1, 1, COLUMNS.length);
  title.commit();
  const header = ws.addRow(COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.commit();

  const names = new Map<string, string>();
  const nameOf = async (code: string): Promise<string> => {
    if (!names.has(code)) for (const n of await regionsRepository.path(db, code.slice(0, 20))) names.set(n.code, n.name);
    return names.get(code) ?? '';
  };

  let rows = 0;
  let after: { key: string | number; id: string } | null = null;
  try {
    for (;;) {
      let q = query.selectAll();
      if (after) {
        const cmp = order === 'asc' ? sql.raw('>') : sql.raw('<');
        q = q.where(sql<boolean>`(${sql.ref(sortColumn)}, ${sql.ref('id')}) ${cmp} (${after.key}, ${after.id})`);
      }
      const batch: ResidentsTable[] = await q.orderBy(sortColumn, order).orderBy('id', order).limit(BATCH_ROWS).execute();
      for (const r of batch) {
        const code = r.region_code;
        ws.addRow([
          await nameOf(code.slice(0, 12)), await nameOf(code.slice(0, 15)), await nameOf(code.slice(0, 18)), await nameOf(code.slice(0, 20)), code.slice(20),
          r.name, r.sex === 'male' ? '男' : '女', r.birth_date, DOCUMENT_TYPE_LABELS[r.doc_type as DocumentType]?.zh ?? r.doc_type,
          p.purpose ? cipher.decrypt(r.doc_number_enc) : r.doc_number_masked,
          (p.purpose ? r.phone_enc && cipher.decrypt(r.phone_enc) : r.phone_masked) ?? '',
          RELATION_LABELS[r.relation_to_head as Relation]?.zh ?? r.relation_to_head, RESIDENCE_STATUS_LABELS[r.residence_status as ResidenceStatus]?.zh ?? r.residence_status,
          (JSON.parse(r.tags) as VulnerabilityTag[]).map((t) => VULNERABILITY_TAG_LABELS[t]?.zh ?? t).join('、'), r.notes,
        ]).commit();
      }
      rows += batch.length;
      await job.progress(rows);
      const last = batch[batch.length - 1];
      if (!last || batch.length < BATCH_ROWS) break;
      after = { key: last[sortColumn], id: last.id };
      await job.checkpoint();
    }
    ws.commit();
    await wb.commit();
    await db.transaction().execute((tx) =>
      deps.audit.record(tx, scope, {
        action: 'resident.export', entityType: 'export', entityId: job.jobId, regionCode: p.node, purpose: p.purpose,
        diff: { rows, masked: !p.purpose, filters: p.filters },
      }),
    );
    await fs.promises.rename(part.abs, final.abs);
  } catch (err) {
    await files.remove(part.rel);
    throw err;
  }
  return {
    result: { rows, masked: !p.purpose },
    file: { rel: final.rel, name: `居民名单_${safeFileName(p.nodeName)}_${fileStamp(now)}.xlsx` },
    message: `已导出 ${rows} 名居民${p.purpose ? '（含完整证件号码和手机号）' : '（已脱敏）'}`,
  };
}
