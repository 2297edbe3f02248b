import fs from 'node:fs';
import { legalBasis, MEASURE_KIND_LABELS, untilZh, type Job, type MeasureKind } from '@gridline/shared';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import PDFDocument from 'pdfkit';
import type { Db, MeasuresTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { fileStamp, shanghaiDateTime, type FileStore } from '../jobs/job-files.js';
import type { JobContext, JobOutcome, JobQueue } from '../jobs/job-queue.js';
import { toJob } from '../jobs/jobs.service.js';
import { cjkFontFiles, faceIn } from '../places/cjk-font.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';

export interface NoticesPayload {
  measureIds: string[];
  document: 'notice' | 'release';
  format: 'docx' | 'pdf';
}

interface NoticeDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  files: FileStore;
  queue: JobQueue;
  protocol: ProtocolProvider;
  cjkFont?: string | undefined;
}

/** One page: a title and its paragraphs, the same text in DOCX and PDF. */
interface Page {
  title: string;
  lines: string[];
}

const MAX = 1000;
const BATCH = 100;

/**
 * Bulk documents for many people at once (issue #7): the isolation notice (legal basis, period, rights, how to
 * appeal, who to call) or the release certificate, one page per person, as one DOCX or PDF to print — a
 * background job with progress. Every document generated is audited; only measures in the caller's scope.
 */
export class MeasureNotices {
  constructor(private readonly deps: NoticeDeps) {
    deps.queue.register<NoticesPayload>('measure_notices', (job, payload) => this.run(job, payload));
  }

  async enqueue(scope: Scope, payload: NoticesPayload): Promise<Job> {
    scope.require('measure.write');
    const ids = [...new Set(payload.measureIds)];
    if (!ids.length || ids.length > MAX) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/measureIds', code: 'range', message: `一次可生成 1–${MAX} 份` }] });
    const found = await this.visible(scope, ids);
    if (found.length !== ids.length) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/measureIds', code: 'missing', message: '部分措施不存在或不在您的管辖范围内' }] });
    if (found.some((m) => !m.resident_id)) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/measureIds', code: 'area', message: '区域管控没有个人通知书，请只选择人员措施' }] });
    return toJob(await this.deps.queue.enqueue('measure_notices', scope, { ...payload, measureIds: ids }, { total: ids.length, message: '等待生成文书' }));
  }

  private visible(scope: Scope, ids: string[]) {
    return this.deps.db.selectFrom('measures').selectAll().where('id', 'in', ids).where(scope.where('region_code')).execute();
  }

  private async pageFor(m: MeasuresTable, person: { name: string; address: string }, document: NoticesPayload['document'], now: number): Promise<Page> {
    const kind = MEASURE_KIND_LABELS[m.kind as MeasureKind].zh;
    const p = await this.deps.protocol.byId(m.protocol_id);
    const bases = (JSON.parse(m.legal_basis) as string[]).map((id) => legalBasis(id)).filter((b) => !!b);
    const basis = bases.map((b) => `《${b!.law}》（${b!.lawVersion}）${b!.article}`).join('、');
    const end = Number(m.ended_at ?? m.planned_end_at);
    if (document === 'release') {
      return {
        title: `解除${kind}证明`,
        lines: [
          `${person.name}（住址：${person.address}）：`,
          `经核查，您自 ${shanghaiDateTime(Number(m.start_at)).slice(0, 10)} 起实施的${kind}已于 ${untilZh(end)} 期满（或经批准解除），现予解除。`,
          `依据：${basis}；《${p?.name ?? m.protocol_id}》。`,
          '解除后请继续做好个人防护。任何单位不得以此前的管控措施为由拒绝您复工、复学或进入公共场所。',
          `出具时间：${shanghaiDateTime(now)}`,
        ],
      };
    }
    return {
      title: `${kind}告知书`,
      lines: [
        `${person.name}（住址：${person.address}）：`,
        `根据${basis}及《${p?.name ?? m.protocol_id}》，对您实施${kind}${m.place_name ? `（地点：${m.place_name}）` : ''}，期限自 ${shanghaiDateTime(Number(m.start_at)).slice(0, 10)} 起至 ${untilZh(Number(m.planned_end_at))}止。`,
        '期间请配合健康监测和核酸检测；期满且符合解除条件时予以解除，延长须说明理由并经批准。',
        '您的权利：对本措施有异议的，可通过“社区防线”居民端或向社区书面提出申诉，由上一级在3日内答复；对工作人员的粗暴执法、封堵门窗、阻拦就医等行为可直接投诉至纪检监察部门。',
        '生活物资、就医用药等需求请联系所在社区；紧急就医不受本措施限制，请拨打 120。',
        `决定人：${m.decided_by_name ?? ''}；决定时间：${m.decided_at ? shanghaiDateTime(Number(m.decided_at)) : ''}`,
      ],
    };
  }

  private async run(job: JobContext, payload: NoticesPayload): Promise<JobOutcome> {
    const { db, clock, files, audit } = this.deps;
    const scope = job.scope.require('measure.write');
    const now = clock.now();
    const pages: Page[] = [];
    for (let i = 0; i < payload.measureIds.length; i += BATCH) {
      const ids = payload.measureIds.slice(i, i + BATCH);
      const rows = await this.visible(scope, ids);
      const people = await db
        .selectFrom('residents')
        .innerJoin('households', 'households.id', 'residents.household_id')
        .select(['residents.id', 'residents.name', 'households.address'])
        .where('residents.id', 'in', rows.map((r) => r.resident_id!))
        .execute();
      const byId = new Map(people.map((p) => [p.id, p]));
      // In the order asked (the list the worker selected), one page each.
      for (const id of ids) {
        const m = rows.find((r) => r.id === id);
        const person = m?.resident_id ? byId.get(m.resident_id) : undefined;
        if (m && person) pages.push(await this.pageFor(m, person, payload.document, now));
      }
      await job.progress(Math.min(i + BATCH, payload.measureIds.length));
      await job.checkpoint();
    }
    const ext = payload.format;
    const part = files.place('jobs', `${job.jobId}.${ext}.part`);
    const final = files.place('jobs', `${job.jobId}.${ext}`);
    try {
      if (ext === 'docx') await fs.promises.writeFile(part.abs, await Packer.toBuffer(docxOf(pages)));
      else await pdfOf(pages, cjkFontFiles(this.deps.cjkFont), part.abs);
      await db.transaction().execute((tx) =>
        audit.record(tx, scope, { action: `measure.${payload.document}.generate`, entityType: 'export', entityId: job.jobId, regionCode: scope.node, diff: { documents: pages.length, format: ext } }),
      );
      await fs.promises.rename(part.abs, final.abs);
    } catch (err) {
      await files.remove(part.rel);
      throw err;
    }
    const title = payload.document === 'release' ? '解除证明' : '告知书';
    return { result: { documents: pages.length }, file: { rel: final.rel, name: `管控措施${title}_${pages.length}份_${fileStamp(now)}.${ext}` }, message: `已生成${title} ${pages.length} 份` };
  }
}

function docxOf(pages: Page[]): Document {
  const children: Paragraph[] = [];
  pages.forEach((p, i) => {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, children: [new TextRun({ text: p.title, bold: true, size: 36 })], ...(i ? { pageBreakBefore: true } : {}) }));
    for (const line of p.lines) children.push(new Paragraph({ spacing: { after: 200, line: 400 }, children: [new TextRun({ text: line, size: 28 })] }));
  });
  return new Document({ creator: 'Gridline 社区防线', title: pages[0]?.title ?? '', styles: { default: { document: { run: { font: 'SimSun' } } } }, sections: [{ children }] });
}

function pdfOf(pages: Page[], font: { regular: string; bold: string }, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 64, info: { Title: pages[0]?.title ?? '', Creator: 'Gridline 社区防线' } });
    doc.registerFont('cjk', font.regular, faceIn(font.regular));
    doc.registerFont('cjk-bold', font.bold, faceIn(font.bold));
    const out = fs.createWriteStream(file);
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.pipe(out);
    pages.forEach((p, i) => {
      if (i) doc.addPage();
      doc.font('cjk-bold').fontSize(20).text(p.title, { align: 'center' });
      doc.moveDown(1.2);
      for (const line of p.lines) doc.font('cjk').fontSize(13).text(line, { lineGap: 6, paragraphGap: 10 });
    });
    doc.end();
  });
}
