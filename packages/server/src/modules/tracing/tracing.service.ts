import {
  addDays, caseStays, clockFigures, findColocations, householdContacts, lookbackWindow, parseMobilePhone, roleCan, secondaryContacts, shanghaiDay, shanghaiDayStart,
  shareMetPerDay, scanRanges, type BulkContactsBody, type BulkContactsResult, type CaseTracing, type ClockSummary, type ClockQuery, type ContactCategory,
  type ContactEvidence, type EnterContactBody, type FollowupContact, type FollowupQuery, type Role, 
  type TraceResult, type TraceScan, type TraceWindow, type TraceWindowView,
} from '@gridline/shared';
import type { CasesTable, ContactsTable, Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import type { AuditEntry, AuditService } from '../audit/audit.service.js';
import { casesRepository } from '../cases/cases.repository.js';
import { announce, type EventBus } from '../events/event-bus.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { sealPhone } from '../residents/personal-fields.js';
import { gridOf, tasksRepository } from '../tasks/tasks.repository.js';
import type { TasksService } from '../tasks/tasks.service.js';
import { usersRepository } from '../users/users.repository.js';
import { contactsRepository, toContact, traceReads, type ContactRow } from './contacts.repository.js';
import { ProtocolByDay } from '../protocol/protocol-by-day.js';
import { measureZh, pKey, rKey, type Candidate, type TraceFindings } from './trace-rules.js';

export interface TracingDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cipher: PersonalDataCipher;
  protocol: ProtocolProvider;
  tasks: TasksService;
  bus?: EventBus;
}

const CATEGORY_RANK: Record<ContactCategory, number> = { close: 0, secondary: 1, general: 2 };
const FOLLOWUP_DUE_MS = 12 * 3_600_000;

function auditView(c: Pick<ContactsTable, 'case_id' | 'category' | 'source' | 'status' | 'region_code' | 'exposure_at' | 'protocol_id'>) {
  return { caseId: c.case_id, category: c.category, source: c.source, status: c.status, regionCode: c.region_code, exposureAt: Number(c.exposure_at), protocolId: c.protocol_id };
}

/**
 * Contact tracing (流调): proposes a case's contacts from its household, its scans (co-location) and, for
 * confirmed close contacts, their households (secondary contacts, where the version says so); takes contacts
 * the tracer enters; decides them in bulk with follow-up tasks; serves grid workers' follow-up lists, the
 * 24-hour clock and (tracing.graph.ts) the transmission chains. Every contact keeps the version in force at its
 * exposure date.
 */
export class TracingService {
  constructor(private readonly deps: TracingDeps) {}

  now(): number {
    return this.deps.clock.now();
  }

  private async caseInScope(db: Executor, scope: Scope, caseId: string): Promise<CasesTable> {
    const c = await casesRepository.byId(db, caseId);
    if (!c) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(c.region_code);
    return c;
  }

  private async windowOf(c: CasesTable, now: number): Promise<{ window: TraceWindow; view: TraceWindowView } | null> {
    const anchor = { classification: c.classification as 'confirmed', onsetDate: c.onset_date, samplingDate: c.sampling_date };
    const probe = lookbackWindow(anchor, 0, now);
    if (!probe) return null;
    const p = await this.deps.protocol.inForce(shanghaiDayStart(probe.anchorDate));
    const window = lookbackWindow(anchor, p.tracing.lookbackDays, now)!;
    return { window, view: { ...window, lookbackDays: p.tracing.lookbackDays, protocolId: p.id, protocolName: p.name } };
  }

  /** Household exposure ends when the case was isolated: at confirmation, else when it was reported. */
  private householdExposure(c: CasesTable): number {
    return Number(c.confirmed_at ?? c.created_at);
  }

  /**
   * Works out a case's contacts without writing anything: household members (if the version says so), everyone
   * co-located with the case's stays in the look-back window, and secondary contacts — of the close contacts
   * already confirmed (`secondaryOf: 'confirmed'`, what proposals use) or of every close contact found
   * (`'all'`: the full two-hop trace).
   */
  async findContacts(caseRow: CasesTable, opts: { secondaryOf: 'confirmed' | 'all'; db?: Executor }): Promise<TraceFindings> {
    const db = opts.db ?? this.deps.db;
    const now = this.deps.clock.now();
    const w = await this.windowOf(caseRow, now);
    if (!w) throw new AppError('GRIDLINE_TRACE_NO_DATES');
    const { window } = w;
    const rules = new ProtocolByDay(this.deps.protocol);
    await rules.load(window.from, window.to);
    const maxStay = Math.max(...[...new Set([window.from, window.to])].map((t) => rules.get(t).tracing.assumedStayMinutes), rules.get(window.from).tracing.assumedStayMinutes);

    // Who the case is in the scan log: a resident, or a visitor with the case's phone.
    let person: { kind: 'resident' | 'visitor'; id: string } | null = null;
    if (caseRow.resident_id) person = { kind: 'resident', id: caseRow.resident_id };
    else if (caseRow.phone_hash) {
      const v = await traceReads.visitorByPhoneHash(db, caseRow.phone_hash);
      if (v) person = { kind: 'visitor', id: v.id };
    }
    const own = person ? await traceReads.personScans(db, person.kind, person.id, window.from, window.to) : [];
    const caseScans: TraceScan[] = own.map((s) => ({ personKind: person!.kind, personId: person!.id, placeId: s.place_id, at: Number(s.at) }));
    const stays = caseStays(caseScans, window, rules.rulesAt);
    const fetched = stays.length ? await traceReads.scansInRanges(db, scanRanges(stays, maxStay)) : [];
    const others: TraceScan[] = fetched.map((s) => ({ personKind: s.person_kind as 'resident' | 'visitor', personId: s.person_id, placeId: s.place_id, at: Number(s.at) }));
    const colocated = findColocations({ stays, otherScans: others, rulesAt: rules.rulesAt, exclude: new Set(person ? [`${person.kind}:${person.id}`] : []) });

    // Who they are.
    const residentIds = colocated.filter((c) => c.personKind === 'resident').map((c) => c.personId);
    const visitorIds = colocated.filter((c) => c.personKind === 'visitor').map((c) => c.personId);
    const caseResident = caseRow.resident_id ? (await traceReads.residents(db, [caseRow.resident_id]))[0] : undefined;
    const [residents, visitors, places, caseHousehold] = await Promise.all([
      traceReads.residents(db, residentIds),
      traceReads.visitors(db, visitorIds),
      traceReads.places(db, [...new Set(colocated.flatMap((c) => c.evidence.map((e) => e.placeId)))]),
      caseResident ? traceReads.householdMembers(db, [caseResident.household_id]) : Promise.resolve([]),
    ]);
    const residentById = new Map([...residents, ...caseHousehold].map((r) => [r.id, r]));
    const visitorById = new Map(visitors.map((v) => [v.id, v]));
    const placeName = new Map(places.map((p) => [p.id, p.name]));
    const noPhone = { phone_enc: null, phone_hash: null, phone_masked: null };

    const candidates = new Map<string, Candidate>();
    const add = (c: Candidate) => {
      const prev = candidates.get(c.key);
      if (!prev) candidates.set(c.key, c);
      else {
        prev.evidence.push(...c.evidence);
        prev.exposureAt = Math.max(prev.exposureAt, c.exposureAt);
        if (CATEGORY_RANK[c.category] < CATEGORY_RANK[prev.category]) Object.assign(prev, { category: c.category, source: c.source, viaKey: c.viaKey });
      }
    };

    // (a) The household.
    const homeAt = this.householdExposure(caseRow);
    const homeAddress = caseResident ? ((await traceReads.households(db, [caseResident.household_id]))[0]?.address ?? '') : '';
    const members = caseHousehold.map((m) => ({ residentId: m.id, householdId: m.household_id }));
    for (const id of householdContacts(caseRow.resident_id, members, rules.rulesAt, homeAt)) {
      const r = residentById.get(id)!;
      add({ key: rKey(id), residentId: id, visitorId: null, name: r.name, phone: noPhone, regionCode: r.region_code, category: 'close', source: 'household', relation: '同住家庭成员', viaKey: null, exposureAt: homeAt, evidence: [{ kind: 'household', address: homeAddress }] });
    }
    // (b) Co-location.
    for (const c of colocated) {
      const evidence: ContactEvidence[] = c.evidence.map((e) => ({ kind: 'colocation', placeId: e.placeId, placeName: placeName.get(e.placeId) ?? '', caseScans: e.caseScans, contactScans: e.contactScans, from: e.from, to: e.to, overlapMinutes: e.overlapMinutes }));
      if (c.personKind === 'resident') {
        const r = residentById.get(c.personId);
        if (!r) continue;
        add({ key: rKey(r.id), residentId: r.id, visitorId: null, name: r.name, phone: noPhone, regionCode: r.region_code, category: 'close', source: 'colocation', relation: '同场所停留', viaKey: null, exposureAt: c.exposureAt, evidence });
      } else {
        const v = visitorById.get(c.personId);
        if (!v) continue;
        add({ key: pKey(v.phone_hash), residentId: null, visitorId: v.id, name: v.name, phone: { phone_enc: v.phone_enc, phone_hash: v.phone_hash, phone_masked: v.phone_masked }, regionCode: caseRow.region_code, category: 'close', source: 'colocation', relation: '同场所停留', viaKey: null, exposureAt: c.exposureAt, evidence });
      }
    }
    // (d) Secondary contacts: the households of close contacts.
    let close: { residentId: string; exposureAt: number; name: string }[];
    if (opts.secondaryOf === 'all') {
      close = [...candidates.values()].filter((c) => c.category === 'close' && c.residentId).map((c) => ({ residentId: c.residentId!, exposureAt: c.exposureAt, name: c.name }));
    } else {
      const existing = await contactsRepository.allOfCase(db, caseRow.id);
      close = existing.filter((c) => c.status === 'confirmed' && c.category === 'close' && c.resident_id).map((c) => ({ residentId: c.resident_id!, exposureAt: Number(c.exposure_at), name: c.person_name }));
    }
    if (close.length) {
      await rules.load(Math.min(...close.map((c) => c.exposureAt)), Math.max(...close.map((c) => c.exposureAt)));
      // Close contacts found just now are already known; confirmed ones of earlier traces are read.
      const unknown = close.filter((c) => !residentById.has(c.residentId)).map((c) => c.residentId);
      for (const r of await traceReads.residents(db, unknown)) residentById.set(r.id, r);
      const households = [...new Set(close.map((c) => residentById.get(c.residentId)?.household_id).filter((h): h is string => !!h))];
      const all = await traceReads.householdMembers(db, households);
      for (const r of all) residentById.set(r.id, r);
      const closeName = new Map(close.map((c) => [c.residentId, c.name]));
      const closeIds = new Set([...candidates.values()].filter((c) => c.category === 'close' && c.residentId).map((c) => c.residentId!));
      for (const s of secondaryContacts({ close, members: all.map((m) => ({ residentId: m.id, householdId: m.household_id })), caseResidentId: caseRow.resident_id, rulesAt: rules.rulesAt })) {
        if (closeIds.has(s.residentId)) continue;
        const r = residentById.get(s.residentId)!;
        add({
          key: rKey(r.id), residentId: r.id, visitorId: null, name: r.name, phone: noPhone, regionCode: r.region_code, category: 'secondary', source: 'secondary', relation: '密接的同住人员',
          viaKey: rKey(s.viaResidentId), exposureAt: s.exposureAt, evidence: [{ kind: 'secondary', viaName: closeName.get(s.viaResidentId) ?? '' }],
        });
      }
    }
    return { window, windowView: w.view, caseScans: caseScans.length, candidates: [...candidates.values()], rules };
  }

  /** Proposes the case's contacts and merges them into those already listed (re-running changes nothing new). */
  async trace(scope: Scope, caseId: string): Promise<TraceResult> {
    scope.require('trace.write');
    const { db, clock, audit } = this.deps;
    const caseRow = await this.caseInScope(db, scope, caseId);
    const found = await this.findContacts(caseRow, { secondaryOf: 'confirmed' });
    const now = clock.now();
    const out = await db.transaction().execute(async (tx) => {
      const existing = new Map((await contactsRepository.allOfCase(tx, caseId)).map((c) => [c.person_key, c]));
      const rows: ContactsTable[] = [];
      const entries: AuditEntry[] = [];
      let merged = 0;
      const bySource = { household: 0, colocation: 0, secondary: 0 };
      // Close contacts first, so that secondary contacts can point at them.
      const ordered = [...found.candidates].sort((a, b) => CATEGORY_RANK[a.category] - CATEGORY_RANK[b.category]);
      // New close contacts by person key, so that each secondary contact finds the one it came through at once
      // (a search of the new rows per secondary contact is millions of comparisons in a large cluster).
      const added = new Map<string, string>();
      const idOf = (key: string | null) => (key ? (existing.get(key)?.id ?? added.get(key) ?? null) : null);
      for (const c of ordered) {
        if (c.source === 'household' || c.source === 'colocation' || c.source === 'secondary') bySource[c.source]++;
        const protocolId = found.rules.rulesAt(c.exposureAt).protocolId;
        const prev = existing.get(c.key);
        if (!prev) {
          const row: ContactsTable = {
            id: newId(), case_id: caseId, person_key: c.key, resident_id: c.residentId, visitor_id: c.visitorId, person_name: c.name, ...c.phone,
            region_code: c.regionCode, category: c.category, source: c.source, relation: c.relation, via_contact_id: idOf(c.viaKey), exposure_at: c.exposureAt,
            evidence: JSON.stringify(c.evidence), status: 'proposed', protocol_id: protocolId, decided_by: null, decided_at: null, notified_at: null, task_id: null,
            created_at: now, updated_at: now, version: 1,
          };
          rows.push(row);
          added.set(row.person_key, row.id);
          entries.push({ action: 'contact.propose', entityType: 'contact', entityId: row.id, regionCode: row.region_code, diff: auditView(row) });
          continue;
        }
        const had = JSON.parse(prev.evidence) as ContactEvidence[];
        const seen = new Set(had.map((e) => JSON.stringify(e)));
        const fresh = c.evidence.filter((e) => !seen.has(JSON.stringify(e)));
        const exposure = Math.max(Number(prev.exposure_at), c.exposureAt);
        const upgrade = CATEGORY_RANK[c.category] < CATEGORY_RANK[prev.category as ContactCategory];
        if (!fresh.length && exposure === Number(prev.exposure_at) && !upgrade) continue;
        const patch: Partial<ContactsTable> = {
          evidence: JSON.stringify([...had, ...fresh]), exposure_at: exposure, protocol_id: found.rules.rulesAt(exposure).protocolId, updated_at: now, version: prev.version + 1,
          ...(upgrade ? { category: c.category, source: c.source, via_contact_id: idOf(c.viaKey) } : {}),
        };
        await contactsRepository.update(tx, prev.id, patch);
        entries.push({ action: 'contact.merge', entityType: 'contact', entityId: prev.id, regionCode: prev.region_code, diff: { evidenceAdded: fresh.length, ...(upgrade ? { category: [prev.category, c.category] } : {}) } });
        merged++;
      }
      await contactsRepository.insertMany(tx, rows);
      await audit.recordMany(tx, scope, [
        { action: 'tracing.trace', entityType: 'case', entityId: caseId, regionCode: caseRow.region_code, diff: { window: [found.window.from, found.window.to], caseScans: found.caseScans, added: rows.length, merged } },
        ...entries,
      ]);
      return { added: rows.length, merged, bySource };
    });
    announce(this.deps.bus, scope, 'contact.changed', caseRow.region_code, { caseId, action: 'trace' });
    return { window: found.windowView, ...out };
  }

  /** A contact the tracer names (a resident, or a person outside the register with a phone). */
  async enter(scope: Scope, caseId: string, body: EnterContactBody) {
    scope.require('trace.write');
    const { db, clock, audit, cipher } = this.deps;
    const caseRow = await this.caseInScope(db, scope, caseId);
    const now = clock.now();
    if (!!body.residentId === !!body.name) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/residentId', code: 'oneOf', message: '请选择登记居民，或填写非登记人员的姓名' }] });
    }
    if (body.exposureAt > now) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/exposureAt', code: 'future', message: '接触时间不能晚于现在' }] });
    let phone: ReturnType<typeof sealPhone> | null = null;
    if (body.phone) {
      const parsed = parseMobilePhone(body.phone);
      if (!parsed.ok) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/phone', code: 'format', message: '请输入 11 位手机号码' }] });
      phone = sealPhone(cipher, parsed.value);
    }
    let key: string;
    let residentId: string | null = null;
    let name: string;
    let regionCode = caseRow.region_code;
    if (body.residentId) {
      const r = (await traceReads.residents(db, [body.residentId]))[0];
      if (!r || !scope.covers(r.region_code)) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所选居民不存在或不在您的管辖范围内' }] });
      if (r.id === caseRow.resident_id) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/residentId', code: 'self', message: '不能把病例本人登记为其接触者' }] });
      key = rKey(r.id);
      residentId = r.id;
      name = r.name;
      regionCode = r.region_code;
    } else {
      name = body.name!.trim();
      key = phone?.phone_hash ? pKey(phone.phone_hash) : `n:${name}`;
    }
    const p = await this.deps.protocol.inForce(body.exposureAt);
    const evidence: ContactEvidence = { kind: 'entered', note: body.note?.trim() ?? '', by: scope.actor.displayName || scope.actor.username, from: body.exposureAt };
    const category = body.category ?? 'close';
    const id = await db.transaction().execute(async (tx) => {
      const prev = (await contactsRepository.allOfCase(tx, caseId)).find((c) => c.person_key === key);
      if (prev) {
        const had = JSON.parse(prev.evidence) as ContactEvidence[];
        const exposure = Math.max(Number(prev.exposure_at), body.exposureAt);
        const upgrade = CATEGORY_RANK[category] < CATEGORY_RANK[prev.category as ContactCategory];
        await contactsRepository.update(tx, prev.id, {
          evidence: JSON.stringify([...had, evidence]), exposure_at: exposure, relation: prev.relation || body.relation, updated_at: now, version: prev.version + 1,
          ...(exposure !== Number(prev.exposure_at) ? { protocol_id: p.id } : {}), ...(upgrade ? { category, source: 'entered' } : {}),
        });
        await audit.record(tx, scope, { action: 'contact.merge', entityType: 'contact', entityId: prev.id, regionCode: prev.region_code, diff: { evidenceAdded: 1, source: 'entered' } });
        return prev.id;
      }
      const row: ContactsTable = {
        id: newId(), case_id: caseId, person_key: key, resident_id: residentId, visitor_id: null, person_name: name,
        phone_enc: phone?.phone_enc ?? null, phone_hash: phone?.phone_hash ?? null, phone_masked: phone?.phone_masked ?? null,
        region_code: regionCode, category, source: 'entered', relation: body.relation.trim(), via_contact_id: null, exposure_at: body.exposureAt,
        evidence: JSON.stringify([evidence]), status: 'proposed', protocol_id: p.id, decided_by: null, decided_at: null, notified_at: null, task_id: null,
        created_at: now, updated_at: now, version: 1,
      };
      await contactsRepository.insertMany(tx, [row]);
      await audit.record(tx, scope, { action: 'contact.enter', entityType: 'contact', entityId: row.id, regionCode: row.region_code, diff: { ...auditView(row), phone: row.phone_masked } });
      return row.id;
    });
    announce(this.deps.bus, scope, 'contact.changed', caseRow.region_code, { caseId, action: 'enter' });
    const shown = await contactsRepository.shownByIds(db, [id]);
    return toContact(shown[0]!);
  }

  /** The case's tracing: window, contacts in scope (with evidence), counts and the 24-hour clock. */
  async caseTracing(scope: Scope, caseId: string): Promise<CaseTracing> {
    scope.require('trace.read');
    const { db, clock } = this.deps;
    const c = await this.caseInScope(db, scope, caseId);
    const now = clock.now();
    const [w, rows, elsewhere] = await Promise.all([this.windowOf(c, now), contactsRepository.byCase(db, caseId, scope), contactsRepository.countElsewhere(db, caseId, scope)]);
    const contacts = rows.map(toContact);
    const count = (f: (x: (typeof contacts)[number]) => boolean) => contacts.filter(f).length;
    const all = await contactsRepository.clockRows(db, [caseId]);
    return {
      caseId: c.id, caseNo: c.case_no, personName: c.person_name, classification: c.classification, confirmedAt: c.confirmed_at === null ? null : Number(c.confirmed_at),
      window: w?.view ?? null,
      contacts,
      counts: {
        proposed: count((x) => x.status === 'proposed'), confirmed: count((x) => x.status === 'confirmed'), rejected: count((x) => x.status === 'rejected'),
        notified: count((x) => x.notifiedAt !== null), close: count((x) => x.category === 'close'), secondary: count((x) => x.category === 'secondary'),
        general: count((x) => x.category === 'general'), elsewhere,
      },
      clock: c.confirmed_at === null ? null : clockFigures(Number(c.confirmed_at), all.map((r) => ({ status: 'confirmed', decidedAt: r.decided_at === null ? null : Number(r.decided_at), notifiedAt: r.notified_at === null ? null : Number(r.notified_at) })), now),
    };
  }

  /**
   * Confirm, reject, assign or mark notified many contacts in one request, one transaction, each audited.
   * Contacts outside the caller's jurisdiction (or of a case outside it) are skipped, never touched.
   * Confirming raises a follow-up task for the contact's grid.
   */
  async bulk(scope: Scope, body: BulkContactsBody): Promise<BulkContactsResult> {
    scope.require('trace.write');
    const { db, clock, audit, tasks } = this.deps;
    const now = clock.now();
    const by = scope.actor.displayName || scope.actor.username;
    const touchedCases = new Set<string>();
    const touchedGrids = new Set<string>();
    const result = await db.transaction().execute(async (tx) => {
      const rows = await contactsRepository.byIds(tx, body.ids);
      const cases = new Map((await casesRepository.byIds(tx, [...new Set(rows.map((r) => r.case_id))])).map((c) => [c.id, c]));
      let assignee: string | null = null;
      if (body.action === 'assign') {
        const u = body.assigneeId ? await usersRepository.byId(tx, body.assigneeId) : undefined;
        if (!u || u.disabled !== 0 || !roleCan(u.role as Role, 'task.read') || !scope.covers(u.node_code)) {
          throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/assigneeId', code: 'missing', message: '所选人员不存在，或无权处理随访任务' }] });
        }
        assignee = u.id;
      }
      const entries: AuditEntry[] = [];
      let updated = 0;
      let tasksCreated = 0;
      for (const r of rows) {
        const c = cases.get(r.case_id);
        if (!c || !scope.covers(c.region_code) || !scope.covers(r.region_code)) continue;
        const patch: Partial<ContactsTable> = { updated_at: now, version: r.version + 1 };
        if (body.action === 'confirm') {
          if (r.status === 'confirmed') continue;
          Object.assign(patch, { status: 'confirmed', decided_by: by, decided_at: now });
          if (!r.task_id) {
            const p = await this.deps.protocol.inForce(Number(r.exposure_at));
            const measure = r.category === 'close' ? p.contactManagement.close : r.category === 'secondary' ? p.contactManagement.secondary : null;
            const task = await tasks.addIn(tx, scope, {
              type: 'contact_followup', title: `${r.category === 'secondary' ? '次密接' : r.category === 'close' ? '密接' : '一般接触者'}随访：${r.person_name}`,
              detail: `病例 ${c.case_no}；末次接触 ${shanghaiDay(Number(r.exposure_at))}${measure ? `；${measureZh(measure)}` : ''}（依据《${p.name}》）`,
              regionCode: gridOf(r.region_code), residentId: r.resident_id, dueAt: now + FOLLOWUP_DUE_MS, source: { type: 'contact', id: r.id },
            });
            patch.task_id = task.id;
            tasksCreated++;
            touchedGrids.add(gridOf(r.region_code));
          }
        } else if (body.action === 'reject') {
          if (r.status === 'rejected') continue;
          Object.assign(patch, { status: 'rejected', decided_by: by, decided_at: now });
          if (r.task_id) for (const g of await tasks.cancelBySource(tx, scope, { type: 'contact', id: r.id }, body.note?.trim() || '流调排除')) touchedGrids.add(g);
        } else if (body.action === 'notify') {
          if (r.status !== 'confirmed' || r.notified_at !== null) continue;
          patch.notified_at = now;
        } else {
          if (r.status !== 'confirmed' || !r.task_id) continue;
          const t = await tasksRepository.byId(tx, r.task_id);
          if (!t || t.status === 'done' || t.status === 'cancelled' || !t.region_code.startsWith(scope.node)) continue;
          await tasksRepository.update(tx, t.id, t.version, { assignee_id: assignee, updated_at: now });
          entries.push({ action: 'task.update', entityType: 'task', entityId: t.id, regionCode: t.region_code, diff: { assigneeId: [t.assignee_id, assignee] } });
          touchedGrids.add(t.region_code);
        }
        await contactsRepository.update(tx, r.id, patch);
        entries.push({ action: `contact.${body.action}`, entityType: 'contact', entityId: r.id, regionCode: r.region_code, diff: { status: [r.status, patch.status ?? r.status], ...(patch.notified_at ? { notifiedAt: patch.notified_at } : {}), ...(body.note ? { note: body.note } : {}) } });
        touchedCases.add(c.region_code);
        updated++;
      }
      await audit.recordMany(tx, scope, entries);
      return { updated, skipped: body.ids.length - updated, tasksCreated };
    });
    for (const node of touchedCases) announce(this.deps.bus, scope, 'contact.changed', node, { action: body.action });
    for (const g of touchedGrids) tasks.announceChanged(scope, g, { action: 'update', type: 'contact_followup' });
    return result;
  }

  /** A grid worker's confirmed contacts: only what follow-up needs (no evidence, no case identity beyond its number). */
  async followup(scope: Scope, q: FollowupQuery) {
    scope.require('contact.followup');
    const node = scope.narrow(q.node);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const { rows, total } = await contactsRepository.confirmed(this.deps.db, scope, node, { page, pageSize });
    const caseNo = new Map((await casesRepository.byIds(this.deps.db, [...new Set(rows.map((r) => r.case_id))])).map((c) => [c.id, c.case_no]));
    const items: FollowupContact[] = [];
    for (const r of rows) items.push(await this.followupView(r, caseNo.get(r.case_id) ?? ''));
    return { items, total, page, pageSize };
  }

  private async followupView(r: ContactRow, caseNo: string): Promise<FollowupContact> {
    const exposure = Number(r.exposure_at);
    const p = await this.deps.protocol.inForce(exposure);
    const measure = r.category === 'close' ? p.contactManagement.close : r.category === 'secondary' ? p.contactManagement.secondary : null;
    const days = measure ? measure.centralizedDays + measure.homeIsolationDays + measure.homeMonitoringDays : 0;
    return {
      id: r.id, caseNo, personName: r.person_name, phoneMasked: r.resident_id ? r.resident_phone : r.phone_masked, address: r.address ?? '', regionCode: r.region_code,
      category: r.category as ContactCategory, exposureAt: exposure, notifiedAt: r.notified_at === null ? null : Number(r.notified_at),
      measure: measure ? { ...measure, testDays: [...measure.testDays] } : null, protocolId: p.id, untilDate: measure && days > 0 ? addDays(shanghaiDay(exposure), days) : null, taskId: r.task_id,
    };
  }

  /**
   * Confirmed contacts under the caller's node, for the measures issue (#7) to issue isolation or monitoring from:
   * who, where, which category and exposure, and the version in force at the exposure date.
   */
  async confirmedContacts(scope: Scope, filter: { node?: string; since?: number; page?: number; pageSize?: number } = {}) {
    const node = scope.narrow(filter.node);
    const { rows, total } = await contactsRepository.confirmed(this.deps.db, scope, node, { since: filter.since, page: filter.page ?? 1, pageSize: filter.pageSize ?? 500 });
    return {
      total,
      items: rows.map((r) => ({
        id: r.id, caseId: r.case_id, residentId: r.resident_id, personName: r.person_name, regionCode: r.region_code, category: r.category as ContactCategory,
        exposureAt: Number(r.exposure_at), protocolId: r.protocol_id, notifiedAt: r.notified_at === null ? null : Number(r.notified_at), taskId: r.task_id,
      })),
    };
  }

  /** The 24-hour clock under a node: cases confirmed in the last `days` days, those at risk, the share met per day. */
  async clock(scope: Scope, q: ClockQuery): Promise<ClockSummary> {
    scope.require('trace.read');
    const node = scope.narrow(q.node);
    const now = this.deps.clock.now();
    const since = shanghaiDayStart(addDays(shanghaiDay(now), -((q.days ?? 7) - 1)));
    const cases = await casesRepository
      .filtered(this.deps.db, scope, node, {})
      .select(['c.id', 'c.case_no', 'c.person_name', 'c.region_code', 'c.confirmed_at', 'c.status'])
      .where('c.confirmed_at', '>=', since)
      .where('c.confirmed_at', '<=', now)
      .execute();
    const contacts = await contactsRepository.clockRows(this.deps.db, cases.map((c) => c.id));
    const byCase = new Map<string, typeof contacts>();
    for (const k of contacts) (byCase.get(k.case_id) ?? byCase.set(k.case_id, []).get(k.case_id)!).push(k);
    const rows = cases.map((c) => {
      const ks = byCase.get(c.id) ?? [];
      const clock = clockFigures(Number(c.confirmed_at), ks.map((k) => ({ status: 'confirmed' as const, decidedAt: k.decided_at === null ? null : Number(k.decided_at), notifiedAt: k.notified_at === null ? null : Number(k.notified_at) })), now);
      return { caseId: c.id, caseNo: c.case_no, personName: c.person_name, regionCode: c.region_code, confirmed: ks.length, notified: ks.filter((k) => k.notified_at !== null).length, clock, open: c.status === 'open' };
    });
    const days = shareMetPerDay(rows.map((r) => r.clock), shanghaiDay);
    const totals = days.reduce((t, d) => ({ cases: t.cases + d.cases, met: t.met + d.met, missed: t.missed + d.missed, running: t.running + d.running }), { cases: 0, met: 0, missed: 0, running: 0 });
    return {
      // A closed case (recovered, ruled out) is no longer at risk of anything; it still counts in the share met.
      atRisk: rows.filter((r) => r.open && r.clock.atRisk).sort((a, b) => b.clock.elapsedMs - a.clock.elapsedMs).map(({ open: _open, ...r }) => r),
      cases: [...rows].sort((a, b) => b.clock.confirmedAt - a.clock.confirmedAt).slice(0, 200).map(({ open: _open, ...r }) => r),
      days,
      totals,
    };
  }

  /** For the report: the case in scope, its contacts in scope and its timeline (places and times) over the window. */
  async reportData(scope: Scope, caseId: string) {
    scope.require('trace.read');
    const { db } = this.deps;
    const tracing = await this.caseTracing(scope, caseId);
    const c = await this.caseInScope(db, scope, caseId);
    let timeline: { at: number; placeName: string; address: string }[] = [];
    if (tracing.window) {
      let person: { kind: string; id: string } | null = c.resident_id ? { kind: 'resident', id: c.resident_id } : null;
      if (!person && c.phone_hash) {
        const v = await traceReads.visitorByPhoneHash(db, c.phone_hash);
        if (v) person = { kind: 'visitor', id: v.id };
      }
      const scans = person ? await traceReads.personScans(db, person.kind, person.id, tracing.window.from, tracing.window.to) : [];
      const places = new Map((await traceReads.places(db, [...new Set(scans.map((s) => s.place_id))])).map((p) => [p.id, p]));
      timeline = scans.map((s) => ({ at: Number(s.at), placeName: places.get(s.place_id)?.name ?? '', address: places.get(s.place_id)?.address ?? '' })).sort((a, b) => a.at - b.at);
    }
    return { tracing, caseRow: c, timeline };
  }
}
