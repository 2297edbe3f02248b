import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { describeReason, type CampaignProgress, type Job, type Questionnaire } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { fileStamp, safeFileName, shanghaiDateTime, type FileStore } from '../jobs/job-files.js';
import type { JobContext, JobOutcome, JobQueue } from '../jobs/job-queue.js';
import { toJob } from '../jobs/jobs.service.js';
import type { ProgressService } from './progress.service.js';
import { reportsRepository } from './reports.repository.js';
import { questionnaireOf, visibleCampaign, viewNode } from './screening-deps.js';

export interface ScreeningReportPayload {
  campaignId: string;
}

interface ReportDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  files: FileStore;
  queue: JobQueue;
  progress: ProgressService;
}

const BATCH = 1000;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const STATE_ZH = { pending: '未走访', nobody_home: '无人在家' } as const;

/**
 * The campaign report for the street (街道排查情况报表) as .xlsx, written as a background job: coverage per grid
 * with the total, the households not reached (for follow-up), and the residents with abnormal answers. Walks
 * the lists in keyset batches with exceljs's streaming writer; the export is audited before it is downloadable.
 */
export class ScreeningReports {
  constructor(private readonly deps: ReportDeps) {
    deps.queue.register<ScreeningReportPayload>('screening_report', (job, payload) => this.run(job, payload));
  }

  async enqueue(scope: Scope, campaignId: string): Promise<Job> {
    scope.require('screening.read');
    const c = await visibleCampaign(this.deps.db, scope, campaignId);
    const p = await this.deps.progress.progress(scope, c.id);
    return toJob(await this.deps.queue.enqueue('screening_report', scope, { campaignId }, { total: p.totals.householdsTotal, message: '等待生成报表' }));
  }

  private async run(job: JobContext, payload: ScreeningReportPayload): Promise<JobOutcome> {
    const { db, clock, files, audit } = this.deps;
    const scope = job.scope.require('screening.read');
    const c = await visibleCampaign(db, scope, payload.campaignId);
    const node = viewNode(scope, c);
    const progress = await this.deps.progress.progress(scope, c.id);
    const q = questionnaireOf(c);
    const now = clock.now();
    const a = scope.actor;
    const part = files.place('jobs', `${job.jobId}.xlsx.part`);
    const final = files.place('jobs', `${job.jobId}.xlsx`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: part.abs, useStyles: true, useSharedStrings: false });
    wb.creator = `${a.displayName}（${a.username}）`;
    wb.created = new Date(now);
    wb.title = `入户排查情况 · ${c.name}`;
    const heading = `${c.name} · ${c.starts_on} 至 ${c.ends_on} · 导出人：${a.displayName}（${a.username}） · 导出时间：${shanghaiDateTime(now)}（北京时间）`;
    let followUps = 0;
    let abnormal = 0;
    try {
      writeSummary(wb, heading, progress);
      followUps = await this.writeFollowUps(wb, job, c.id, node);
      abnormal = await this.writeAbnormal(wb, job, c.id, node, q);
      await wb.commit();
      await db.transaction().execute((tx) =>
        audit.record(tx, scope, {
          action: 'screening.export', entityType: 'export', entityId: job.jobId, regionCode: node,
          diff: { campaignId: c.id, grids: progress.grids.length, followUps, abnormal },
        }),
      );
      await fs.promises.rename(part.abs, final.abs);
    } catch (err) {
      await files.remove(part.rel);
      throw err;
    }
    return {
      result: { grids: progress.grids.length, followUps, abnormal, coverage: progress.totals.coverage },
      file: { rel: final.rel, name: `入户排查情况_${safeFileName(c.name)}_${fileStamp(now)}.xlsx` },
      message: `已生成报表：${progress.grids.length} 个网格，未走访 ${followUps} 户，异常 ${abnormal} 人`,
    };
  }

  private async writeFollowUps(wb: ExcelJS.stream.xlsx.WorkbookWriter, job: JobContext, campaignId: string, node: string): Promise<number> {
    const ws = wb.addWorksheet('未走访户', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [{ width: 12 }, { width: 36 }, { width: 10 }, { width: 8 }, { width: 12 }, { width: 18 }];
    ws.addRow(['网格', '地址', '状态', '人数', '回访日期', '最近走访']).font = { bold: true };
    let n = 0;
    let after = '';
    for (;;) {
      const rows = await reportsRepository.followUpBatch(this.deps.db, campaignId, node, after, BATCH);
      for (const r of rows) {
        ws.addRow([
          r.grid_name ?? '', r.address, STATE_ZH[(r.state ?? 'pending') as keyof typeof STATE_ZH], Number(r.members ?? 0), r.revisit_on ?? '',
          r.last_visited_at === null ? '' : shanghaiDateTime(Number(r.last_visited_at)),
        ]).commit();
      }
      n += rows.length;
      await job.progress(n);
      const last = rows[rows.length - 1];
      if (!last || rows.length < BATCH) break;
      after = last.code;
      await job.checkpoint();
    }
    ws.commit();
    return n;
  }

  private async writeAbnormal(wb: ExcelJS.stream.xlsx.WorkbookWriter, job: JobContext, campaignId: string, node: string, q: Questionnaire): Promise<number> {
    const ws = wb.addWorksheet('异常人员', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [{ width: 10 }, { width: 36 }, { width: 40 }, { width: 18 }, { width: 16 }];
    ws.addRow(['姓名', '地址', '异常情况', '走访时间', '走访人']).font = { bold: true };
    let n = 0;
    let after = { code: '', resident: '' };
    for (;;) {
      const rows = await reportsRepository.abnormalBatch(this.deps.db, campaignId, node, after, BATCH);
      for (const r of rows) {
        const reasons = (JSON.parse(r.reasons) as string[]).map((code) => describeReason(q, code)).join('；');
        ws.addRow([r.name ?? '（已不在名册）', r.address, reasons, shanghaiDateTime(Number(r.last_visited_at)), r.last_visited_by_name]).commit();
      }
      n += rows.length;
      const last = rows[rows.length - 1];
      if (!last || rows.length < BATCH) break;
      after = { code: last.household_code, resident: last.resident_id };
      await job.checkpoint();
    }
    ws.commit();
    return n;
  }
}

function writeSummary(wb: ExcelJS.stream.xlsx.WorkbookWriter, heading: string, p: CampaignProgress): void {
  const ws = wb.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: 2 }] });
  const headers = ['社区', '网格', '网格员', '总户数', '已走访', '无人在家', '未走访', '走访率', '已排查人数', '异常人数'];
  ws.columns = [{ width: 12 }, { width: 12 }, { width: 20 }, { width: 9 }, { width: 9 }, { width: 10 }, { width: 9 }, { width: 9 }, { width: 11 }, { width: 9 }];
  const title = ws.addRow([heading]);
  title.font = { bold: true };
  ws.mergeCells(1, 1, 1, headers.length);
  title.commit();
  ws.addRow(headers).font = { bold: true };
  for (const g of p.grids) {
    ws.addRow([g.communityName, g.gridName, g.workers.map((w) => w.displayName).join('、'), g.householdsTotal, g.visited, g.nobodyHome, g.notReached, pct(g.coverage), g.residentsScreened, g.abnormalResidents]).commit();
  }
  const t = p.totals;
  const total = ws.addRow(['合计', '', '', t.householdsTotal, t.visited, t.nobodyHome, t.notReached, pct(t.coverage), t.residentsScreened, t.abnormalResidents]);
  total.font = { bold: true };
  total.commit();
  ws.commit();
}
