import type { NormalizedResident } from '@gridline/shared';
import type { Executor, HouseholdsTable, ResidentsTable, Tx } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditEntry, type AuditService } from '../audit/audit.service.js';
import { householdsRepository } from '../residents/households.repository.js';
import { phoneHash, sealDocument, sealPhone } from '../residents/personal-fields.js';
import { residentsRepository, toResident } from '../residents/residents.repository.js';
import { auditView } from '../residents/residents.service.js';
import type { ParsedRow, RowProblem } from './import-rows.js';
import { importsRepository } from './imports.repository.js';

/** A row that passed every check that needs no database: valid, addressed, first with its document. */
export interface Candidate {
  parsed: ParsedRow;
  value: NormalizedResident;
  docHash: string;
  /** The household's code (unit code + room); the household may not exist yet. */
  code: string;
  unitCode: string;
  room: string;
}

/** What one batch does; counted into the result only once its transaction has committed. */
export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  problems: RowProblem[];
  households: HouseholdsTable[];
}

export interface BatchDeps {
  scope: Scope;
  cipher: PersonalDataCipher;
  audit: AuditService;
  now: number;
  onExisting: 'update' | 'skip';
  /** Households this run created (or, dry, would create) in earlier batches. */
  pendingHouseholds: Map<string, string>;
  /** Inside the batch's transaction: on SQLite's single connection, a query outside it would wait forever. */
  address(ex: Executor, unitCode: string, room: string): Promise<string>;
  purpose(row: number): string;
  docColumn: string;
}

const sortedTags = (json: string) => JSON.stringify((JSON.parse(json) as string[]).slice().sort());

/**
 * Decides and (unless dry) writes one batch inside `ex`, a transaction for real runs: looks up the batch's
 * documents and households in two or three statements, then inserts households and residents in bulk,
 * applies updates one by one (each with its audit diff) and appends every audit event in one go.
 */
export async function applyBatch(ex: Executor, deps: BatchDeps, candidates: Candidate[], dryRun: boolean): Promise<BatchOutcome> {
  const { scope, cipher, now } = deps;
  const out: BatchOutcome = { created: 0, updated: 0, unchanged: 0, skipped: 0, problems: [], households: [] };
  const existing = new Map<string, ResidentsTable>();
  const byType = new Map<string, string[]>();
  for (const c of candidates) {
    const hashes = byType.get(c.value.docType) ?? [];
    hashes.push(c.docHash);
    byType.set(c.value.docType, hashes);
  }
  for (const [docType, hashes] of byType) {
    for (const r of await importsRepository.residentsByDocuments(ex, docType, hashes)) existing.set(r.doc_number_hash, r);
  }
  const households = new Map((await importsRepository.householdsByCodes(ex, [...new Set(candidates.map((c) => c.code))])).map((h) => [h.code, h.id]));

  const firstRowOf = new Map<string, number>();
  const householdFor = async (c: Candidate): Promise<string> => {
    const known = households.get(c.code) ?? deps.pendingHouseholds.get(c.code);
    if (known) return known;
    const row: HouseholdsTable = { id: newId(), code: c.code, unit_code: c.unitCode, room: c.room, address: await deps.address(ex, c.unitCode, c.room), created_at: now, updated_at: now };
    households.set(c.code, row.id);
    out.households.push(row);
    firstRowOf.set(row.id, c.parsed.row);
    return row.id;
  };

  const creates: { row: number; resident: ResidentsTable }[] = [];
  const updates: { row: number; before: ResidentsTable; patch: Partial<ResidentsTable> }[] = [];
  for (const c of candidates) {
    const before = existing.get(c.docHash);
    if (before && !scope.covers(before.region_code)) {
      out.problems.push({ row: c.parsed.row, column: deps.docColumn, value: before.doc_number_masked, reason: '该证件号码已在其他辖区登记，请联系上级核实' });
      continue;
    }
    if (!before) {
      const v = c.value;
      const resident: ResidentsTable = {
        id: newId(), household_id: await householdFor(c), region_code: c.code, name: v.name, sex: v.sex, birth_date: v.birthDate, doc_type: v.docType,
        ...sealDocument(cipher, v.docType, v.docNumber), ...sealPhone(cipher, v.phone), relation_to_head: v.relationToHead, residence_status: v.residenceStatus,
        tags: JSON.stringify(v.tags), notes: v.notes, version: 1, created_at: now, updated_at: now,
      };
      creates.push({ row: c.parsed.row, resident });
      continue;
    }
    const change = changeOf(before, c, cipher);
    if (!change) out.unchanged++;
    else if (deps.onExisting === 'skip') out.skipped++;
    else {
      const householdId = change.region_code === before.region_code ? before.household_id : await householdFor(c);
      updates.push({ row: c.parsed.row, before, patch: { ...change, household_id: householdId, updated_at: now } });
    }
  }
  out.created = creates.length;
  out.updated = updates.length;
  if (dryRun) return out;

  const tx = ex as Tx;
  await householdsRepository.insertMany(tx, out.households);
  await residentsRepository.insertMany(tx, creates.map((c) => c.resident));
  const entries: AuditEntry[] = [
    ...out.households.map((h) => ({ action: 'household.create', entityType: 'household', entityId: h.id, regionCode: h.code, purpose: deps.purpose(firstRowOf.get(h.id) ?? 0), diff: { address: [null, h.address] } })),
    ...creates.map((c) => ({
      action: 'resident.create', entityType: 'resident', entityId: c.resident.id, regionCode: c.resident.region_code, purpose: deps.purpose(c.row),
      diff: auditDiff(null, auditView(toResident(c.resident))),
    })),
  ];
  for (const u of updates) {
    try {
      await residentsRepository.update(tx, u.before.id, u.before.version, u.patch);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'GRIDLINE_STALE_VERSION')) throw err;
      out.updated--;
      out.problems.push({ row: u.row, column: deps.docColumn, value: u.before.doc_number_masked, reason: '该居民的记录在导入期间被他人修改，本行未更新，请稍后重新导入' });
      continue;
    }
    const after = toResident({ ...u.before, ...u.patch, version: u.before.version + 1 });
    entries.push({
      action: 'resident.update', entityType: 'resident', entityId: u.before.id, regionCode: after.regionCode, purpose: deps.purpose(u.row),
      diff: auditDiff(auditView(toResident(u.before)), auditView(after)),
    });
  }
  await deps.audit.recordMany(tx, scope, entries);
  return out;
}

/**
 * The fields a row changes on an existing record, or null when it changes nothing. Name, sex, birth date and
 * the address always come from the row; phone, relation, category, tags and notes only when the row fills them.
 */
function changeOf(before: ResidentsTable, c: Candidate, cipher: PersonalDataCipher): Partial<ResidentsTable> | null {
  const v = c.value;
  const given = c.parsed.given;
  const next: Partial<ResidentsTable> = {};
  const set = <K extends keyof ResidentsTable>(k: K, value: ResidentsTable[K]) => {
    if (before[k] !== value) next[k] = value;
  };
  set('name', v.name);
  set('sex', v.sex);
  set('birth_date', v.birthDate);
  set('region_code', c.code);
  if (given.has('relationToHead')) set('relation_to_head', v.relationToHead);
  if (given.has('residenceStatus')) set('residence_status', v.residenceStatus);
  if (given.has('notes')) set('notes', v.notes);
  if (given.has('tags') && sortedTags(before.tags) !== JSON.stringify(v.tags)) next.tags = JSON.stringify(v.tags);
  if (given.has('phone') && (v.phone ? phoneHash(cipher, v.phone) : null) !== before.phone_hash) Object.assign(next, sealPhone(cipher, v.phone));
  if (!Object.keys(next).length) return null;
  // The tag index follows tags and the region code, so an update carries both whenever either changes.
  return { ...next, tags: next.tags ?? before.tags, region_code: c.code };
}
