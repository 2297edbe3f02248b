import crypto from 'node:crypto';
import type { EventBus } from '../events/event-bus.js';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { levelOfCode, type FieldError, type ImportAnalysis, type ImportField, type Job, type RunImportBody } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import type { FileStore } from '../jobs/job-files.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { toJob } from '../jobs/jobs.service.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { runImport, type ImportJobPayload } from './import-job.js';
import { autoMapping, FIELD_LABELS, missingFields, REQUIRED_FIELDS } from './import-vocab.js';
import { importsRepository } from './imports.repository.js';
import { detectEncoding, detectFormat, invalidFile, openTable } from './sheet-reader.js';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const SAMPLE_ROWS = 5;

export interface ImportsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cipher: PersonalDataCipher;
  files: FileStore;
  queue: JobQueue;
  bus?: EventBus;
}

const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Resident import: upload and analyse a file, then run it (or a dry run) as a background job. */
export class ImportsService {
  constructor(private readonly deps: ImportsDeps) {
    deps.queue.register<ImportJobPayload>('resident_import', (job, payload) => runImport(deps, job, payload));
  }

  /** Stores the upload, detects format and encoding, finds the header row and proposes a mapping. */
  async upload(scope: Scope, fileName: string, stream: Readable & { truncated?: boolean }): Promise<ImportAnalysis> {
    scope.require('resident.write');
    const { db, clock, files } = this.deps;
    const id = newId();
    const upload = files.place('imports', `${id}.upload`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    let stored = upload;
    try {
      await pipeline(stream, measure, fs.createWriteStream(upload.abs)).catch((err: unknown) => {
        throw invalidFile('上传中断或内容不完整，请重新上传', err);
      });
      if (stream.truncated) {
        throw new AppError('GRIDLINE_PAYLOAD_TOO_LARGE', { fields: [{ path: '/body/file', code: 'maxSize', message: `文件不能超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB，请拆分后分批导入` }] });
      }
      if (size === 0) throw invalidFile('上传的文件是空的');
      const handle = await fs.promises.open(upload.abs, 'r');
      const head = Buffer.alloc(8);
      await handle.read(head, 0, 8, 0);
      await handle.close();
      const format = detectFormat(head, fileName);
      const encoding = format === 'xlsx' ? 'xlsx' : detectEncoding(await fs.promises.readFile(upload.abs));
      stored = files.place('imports', `${id}.${format}`);
      await fs.promises.rename(upload.abs, stored.abs);

      const table = await openTable(stored.abs, format, encoding);
      const sample: string[][] = [];
      let rowCount = 0;
      for await (const r of table.rows) {
        if (sample.length < SAMPLE_ROWS) sample.push(table.headers.map((_h, i) => (r.cells[i] ?? '').trim()));
        rowCount++;
      }
      if (!rowCount) throw invalidFile('文件中只有表头，没有数据行');
      const mapping = autoMapping(table.headers);
      await importsRepository.insert(db, {
        id, owner_id: scope.actor.userId, owner_node: scope.node, file_name: fileName, file_path: stored.rel, sha256: hash.digest('hex'), size,
        format, encoding, row_count: rowCount, headers: JSON.stringify(table.headers), created_at: clock.now(),
      });
      return { id, fileName, format, encoding, rowCount, headers: table.headers, mapping, missingFields: missingFields(mapping), sample };
    } catch (err) {
      await files.remove(stored.rel);
      await files.remove(upload.rel);
      throw err;
    }
  }

  /** Checks the mapping and the target node, then queues the run; the job's result is an ImportResult. */
  async run(scope: Scope, id: string, body: RunImportBody): Promise<Job> {
    scope.require('resident.write');
    const { db, queue } = this.deps;
    const file = await importsRepository.byId(db, id);
    if (!file || !scope.actor.userId || file.owner_id !== scope.actor.userId) throw new AppError('GRIDLINE_NOT_FOUND');
    const headers = JSON.parse(file.headers) as string[];
    const mapping = Object.fromEntries(headers.map((h) => [h, body.mapping[h] ?? null]));
    this.checkMapping(headers, body.mapping);

    const node = scope.narrow(body.node);
    const level = levelOfCode(node);
    if (level !== 'community' && level !== 'grid') {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/node', code: 'level', message: '请选择要导入到的社区或网格' }] });
    }
    const region = await regionsRepository.byCode(db, node);
    if (!region) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/node', code: 'missing', message: `社区或网格 ${node} 不存在` }] });

    const payload: ImportJobPayload = { importId: file.id, mapping, dryRun: body.dryRun, onExisting: body.onExisting, node, nodeName: region.name };
    const job = await queue.enqueue('resident_import', scope, payload, { total: file.row_count, message: body.dryRun ? '等待校验' : '等待导入' });
    return toJob(job);
  }

  private checkMapping(headers: string[], mapping: RunImportBody['mapping']): void {
    const fields: FieldError[] = [];
    const owner = new Map<ImportField, string>();
    for (const [header, field] of Object.entries(mapping)) {
      if (!headers.includes(header)) {
        fields.push({ path: `/body/mapping/${pointer(header)}`, code: 'unknownColumn', message: `文件中没有名为“${header}”的列` });
        continue;
      }
      if (!field) continue;
      const first = owner.get(field);
      if (first) fields.push({ path: `/body/mapping/${pointer(header)}`, code: 'duplicate', message: `“${FIELD_LABELS[field]}”已对应到列“${first}”，每项只能对应一列` });
      else owner.set(field, header);
    }
    for (const f of REQUIRED_FIELDS) {
      if (!owner.has(f)) fields.push({ path: '/body/mapping', code: 'required', message: `请指定“${FIELD_LABELS[f]}”对应的列` });
    }
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
  }
}
