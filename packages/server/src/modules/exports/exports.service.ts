import type { ExportResidentsBody, Job } from '@gridline/shared';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { toJob } from '../jobs/jobs.service.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { runExport, type ExportDeps, type ExportJobPayload } from './export-job.js';

/** Resident export: checks permissions and filters now, writes the file as a background job. */
export class ExportsService {
  constructor(private readonly deps: ExportDeps & { queue: JobQueue }) {
    deps.queue.register<ExportJobPayload>('resident_export', (job, payload) => runExport(deps, job, payload));
  }

  async residents(scope: Scope, body: ExportResidentsBody): Promise<Job> {
    scope.require('resident.read');
    let purpose: string | null = null;
    if (body.purpose !== undefined) {
      scope.require('resident.unmask');
      purpose = body.purpose.trim();
      if (purpose.length < 2) throw new AppError('GRIDLINE_PURPOSE_REQUIRED', { fields: [{ path: '/body/purpose', code: 'required', message: '导出完整证件号码和手机号须填写用途' }] });
    }
    // The same filters the list applies, checked (node in scope) before anything is queued.
    const { node, query } = this.deps.residents.filteredQuery(scope, body.filters);
    const { db, queue } = this.deps;
    const count = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const nodeName = (node && (await regionsRepository.byCode(db, node))?.name) || '全部';
    const payload: ExportJobPayload = { filters: body.filters, purpose, node, nodeName };
    return toJob(await queue.enqueue('resident_export', scope, payload, { total: Number(count.n), message: '等待导出' }));
  }
}
