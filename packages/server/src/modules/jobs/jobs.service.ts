import type { Job, JobKind, JobStatus } from '@gridline/shared';
import type { Db, JobRow } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import type { FileStore } from './job-files.js';
import { importsRepository } from '../imports/imports.repository.js';
import { jobsRepository } from './jobs.repository.js';

const RECENT = 20;

export function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    status: r.status as JobStatus,
    progress: r.progress,
    total: r.total,
    message: r.message,
    result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
    error: r.error,
    downloadable: r.status === 'succeeded' && r.file_path !== null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

/** Reading jobs: a job and its file belong to the user who submitted it; to anyone else it does not exist. */
export class JobsService {
  constructor(private readonly deps: { db: Db; audit: AuditService; files: FileStore }) {}

  async recent(scope: Scope): Promise<Job[]> {
    if (!scope.actor.userId) return [];
    return (await jobsRepository.recentOfOwner(this.deps.db, scope.actor.userId, RECENT)).map(toJob);
  }

  async get(scope: Scope, id: string): Promise<Job> {
    return toJob(await this.owned(scope, id));
  }

  /** The job's file, for its owner; the download is audited (an export may hold full personal data). */
  async download(scope: Scope, id: string): Promise<{ path: string; name: string }> {
    const row = await this.owned(scope, id);
    if (row.status !== 'succeeded' || !row.file_path || !row.file_name || !this.deps.files.exists(row.file_path)) throw new AppError('GRIDLINE_NOT_FOUND');
    const { db, audit } = this.deps;
    await db.transaction().execute((tx) =>
      audit.record(tx, scope, { action: 'job.download', entityType: 'job', entityId: id, regionCode: row.owner_node || null, diff: { kind: row.kind, file: row.file_name } }),
    );
    return { path: this.deps.files.resolve(row.file_path), name: row.file_name };
  }

  /**
   * Uploaded files, exports and error reports hold personal data in plain files: they are kept only for the
   * retention period (FILE_RETENTION_DAYS), then deleted; their jobs stay listed without a download.
   */
  async sweepExpiredFiles(now: number, retentionMs: number): Promise<number> {
    const { db, files } = this.deps;
    const cutoff = now - retentionMs;
    let removed = 0;
    for (const j of await jobsRepository.filesFinishedBefore(db, cutoff)) {
      await files.remove(j.file_path!);
      await jobsRepository.forgetFile(db, j.id);
      removed++;
    }
    for (const f of await importsRepository.uploadedBefore(db, cutoff)) {
      await files.remove(f.file_path);
      await importsRepository.delete(db, f.id);
      removed++;
    }
    return removed;
  }

  private async owned(scope: Scope, id: string): Promise<JobRow> {
    const row = await jobsRepository.byId(this.deps.db, id);
    if (!row || !scope.actor.userId || row.owner_id !== scope.actor.userId) throw new AppError('GRIDLINE_NOT_FOUND');
    return row;
  }
}
