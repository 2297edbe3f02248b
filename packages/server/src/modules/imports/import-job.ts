import path from 'node:path';
import { announce, type EventBus } from '../events/event-bus.js';
import type { ImportMapping, ImportResult } from '@gridline/shared';
import type { Db, Executor } from '../../db/schema.js';
import { shanghaiDate, type Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { AuditService } from '../audit/audit.service.js';
import { fileStamp, safeFileName, type FileStore } from '../jobs/job-files.js';
import type { JobContext, JobOutcome } from '../jobs/job-queue.js';
import { householdAddress } from '../residents/households.service.js';
import { documentHash } from '../residents/personal-fields.js';
import { AddressResolver } from './address-resolver.js';
import { applyBatch, type BatchDeps, type BatchOutcome, type Candidate } from './import-batch.js';
import { columnsOf, parseRow, type Columns, type RowProblem } from './import-rows.js';
import { FIELD_LABELS } from './import-vocab.js';
import { importsRepository } from './imports.repository.js';
import { writeErrorReport } from './error-report.js';
import { openTable, type SheetFormat, type SheetEncoding, type SheetRow } from './sheet-reader.js';

/** Everything a run needs, as plain JSON in the job row. */
export interface ImportJobPayload {
  importId: string;
  mapping: ImportMapping;
  dryRun: boolean;
  onExisting: 'update' | 'skip';
  node: string;
  nodeName: string;
}

export interface ImportDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cipher: PersonalDataCipher;
  files: FileStore;
  bus?: EventBus;
}

/** Rows per batch: one transaction each, small enough that other requests wait a few milliseconds at most. */
const BATCH_ROWS = 1000;
const RESULT_ERRORS = 100;
/** A batch that loses a race (another writer registered the same document or room meanwhile) is redone. */
const ATTEMPTS = 3;

/**
 * Runs an import (or its dry run) in batches: reads rows, checks each against the register's rules and the
 * importer's jurisdiction, claims documents so a repeated row is reported against its first occurrence,
 * then decides and writes the batch in one transaction. Yields to the event loop between batches.
 */
export async function runImport(deps: ImportDeps, job: JobContext, p: ImportJobPayload): Promise<JobOutcome> {
  const { db, clock, cipher, files } = deps;
  const scope = job.scope.require('resident.write');
  const file = await importsRepository.byId(db, p.importId);
  if (!file) throw new AppError('GRIDLINE_NOT_FOUND');
  const table = await openTable(files.resolve(file.file_path), file.format as SheetFormat, file.encoding as SheetEncoding);
  const cols = columnsOf(table.headers, p.mapping);
  const today = shanghaiDate(clock.now());
  const resolver = await AddressResolver.load(db, scope, p.node, p.nodeName);
  const addressPrefix = new Map<string, string>();
  const docColumn = cols.header.docNumber ?? FIELD_LABELS.docNumber;

  const result: ImportResult = { dryRun: p.dryRun, total: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, householdsCreated: 0, errors: [] };
  const problems: RowProblem[] = [];
  const claimed = new Map<string, number>();
  const pendingHouseholds = new Map<string, string>();
  const batchDeps = (now: number): BatchDeps => ({
    scope, cipher, audit: deps.audit, now, onExisting: p.onExisting, pendingHouseholds, docColumn,
    purpose: (row) => `批量导入“${file.file_name}”${row ? `第 ${row} 行` : ''}`,
    address: async (ex, unitCode, room) => {
      // One path look-up per unit: the household address is the unit's address plus the room.
      let prefix = addressPrefix.get(unitCode);
      if (prefix === undefined) {
        prefix = (await householdAddress(ex, unitCode, '')).replace(/室$/, '');
        addressPrefix.set(unitCode, prefix);
      }
      return `${prefix}${room}室`;
    },
  });

  const processBatch = async (rows: SheetRow[]) => {
    const { candidates, rejected } = screen(rows, cols, today, resolver, claimed, (type, number) => documentHash(cipher, type, number));
    let outcome: BatchOutcome | undefined;
    for (let attempt = 1; !outcome; attempt++) {
      try {
        const work = (ex: Executor) => applyBatch(ex, batchDeps(clock.now()), candidates, p.dryRun);
        outcome = p.dryRun ? await work(db) : await db.transaction().execute(work);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'GRIDLINE_CONFLICT') || attempt >= ATTEMPTS) throw err;
      }
    }
    for (const h of outcome.households) pendingHouseholds.set(h.code, h.id);
    const batchProblems = [...rejected, ...outcome.problems].sort((a, b) => a.row - b.row);
    problems.push(...batchProblems);
    result.total += rows.length;
    result.created += outcome.created;
    result.updated += outcome.updated;
    result.unchanged += outcome.unchanged;
    result.skipped += outcome.skipped;
    result.rejected += new Set(batchProblems.map((x) => x.row)).size;
    result.householdsCreated = (result.householdsCreated ?? 0) + outcome.households.length;
  };

  let batch: SheetRow[] = [];
  for await (const r of table.rows) {
    batch.push(r);
    if (batch.length < BATCH_ROWS) continue;
    await processBatch(batch);
    batch = [];
    await job.progress(result.total, Math.max(file.row_count, result.total));
    await job.checkpoint();
  }
  if (batch.length) await processBatch(batch);
  result.errors = problems.slice(0, RESULT_ERRORS);

  if (!p.dryRun) {
    await db.transaction().execute((tx) =>
      deps.audit.record(tx, scope, {
        action: 'resident.import', entityType: 'import', entityId: file.id, regionCode: p.node,
        diff: { file: file.file_name, sha256: file.sha256, job: job.jobId, created: result.created, updated: result.updated, unchanged: result.unchanged, skipped: result.skipped, rejected: result.rejected, householdsCreated: result.householdsCreated, onExisting: p.onExisting },
      }),
    );
    if (result.created + result.updated > 0) announce(deps.bus, job.scope, 'resident.changed', p.node, { action: 'import', created: result.created, updated: result.updated });
  }
  let report: JobOutcome['file'] = null;
  if (problems.length) {
    const base = safeFileName(path.parse(file.file_name).name);
    const place = files.place('jobs', `${job.jobId}.xlsx`);
    await writeErrorReport(place.abs, problems, { creator: scope.actor.displayName, created: new Date(clock.now()) });
    report = { rel: place.rel, name: `导入错误报告_${base}_${fileStamp(clock.now())}.xlsx` };
  }
  return { result, file: report, message: summary(result) };
}

/** The checks that need no database: row rules, address, and repeated documents within the file. */
function screen(
  rows: SheetRow[], cols: Columns, today: string, resolver: AddressResolver, claimed: Map<string, number>, hash: (type: string, number: string) => string,
): { candidates: Candidate[]; rejected: RowProblem[] } {
  const candidates: Candidate[] = [];
  const rejected: RowProblem[] = [];
  const cell = (r: SheetRow, f: 'docNumber' | 'building' | 'unit') => {
    const i = cols.index[f];
    return i === undefined ? '' : (r.cells[i] ?? '');
  };
  for (const r of rows) {
    const parsed = parseRow(r, cols, today);
    const problems = [...parsed.problems];
    const docHash = parsed.document ? hash(parsed.document.type, parsed.document.number) : null;
    if (docHash) {
      const first = claimed.get(docHash);
      if (first === undefined) claimed.set(docHash, r.row);
      else problems.push({ row: r.row, column: cols.header.docNumber ?? FIELD_LABELS.docNumber, value: cell(r, 'docNumber'), reason: `与第 ${first} 行重复（证件号码相同）` });
    }
    let unitCode = '';
    if (parsed.building && parsed.unit) {
      const at = resolver.resolve(parsed.building, parsed.unit);
      if (at.ok) unitCode = at.unitCode;
      else problems.push({ row: r.row, column: cols.header[at.field] ?? FIELD_LABELS[at.field], value: cell(r, at.field), reason: at.reason });
    }
    if (problems.length || !parsed.value || !docHash || !parsed.room || !unitCode) {
      rejected.push(...problems);
      continue;
    }
    candidates.push({ parsed, value: parsed.value, docHash, code: unitCode + parsed.room, unitCode, room: parsed.room });
  }
  return { candidates, rejected };
}

function summary(r: ImportResult): string {
  const bad = r.rejected ? `，${r.rejected} 行有问题未导入（见错误报告）` : '';
  if (r.dryRun) return `校验完成（未写入）：共 ${r.total} 行，可新增 ${r.created} 人，更新 ${r.updated} 人，无变化 ${r.unchanged} 人，跳过 ${r.skipped} 人${bad}`;
  return `导入完成：共 ${r.total} 行，新增 ${r.created} 人，更新 ${r.updated} 人，无变化 ${r.unchanged} 人，跳过 ${r.skipped} 人${bad}`;
}
