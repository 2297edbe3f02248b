import {
  diffProtocols, isCalendarDate, protocolFields, protocolInForce, protocolValueErrors, shanghaiDay,
  type CreateProtocolVersionBody, type FieldError, type ProtocolDiff, type ProtocolValues, type ProtocolVersionDetail, type ProtocolVersionList, type ProtocolVersionSummary,
} from '@gridline/shared';
import type { Db, ProtocolVersionsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/event-bus.js';
import type { DatabaseProtocols } from './protocol.provider.js';
import { protocolRepository } from './protocol.repository.js';

export interface ProtocolDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  protocols: DatabaseProtocols;
  bus?: EventBus;
}

type Meta = Pick<ProtocolVersionsTable, 'id' | 'based_on' | 'note' | 'created_by' | 'created_at'>;

/**
 * The protocol (防控方案) as versioned data. Everyone who may read it sees every version, the one in force today
 * and what each changed against the one before; `protocol.manage` makes a new version from a base version with
 * changed values, a name, the issuing document and an effective date not in the past. An existing version is
 * never changed: decisions keep pointing at the version they used.
 */
export class ProtocolService {
  constructor(private readonly deps: ProtocolDeps) {}

  private async versions(): Promise<{ versions: ProtocolValues[]; meta: Map<string, Meta> }> {
    const [versions, rows] = await Promise.all([this.deps.protocols.list(), protocolRepository.all(this.deps.db)]);
    return { versions, meta: new Map(rows.map((r) => [r.id, r])) };
  }

  private summary(v: ProtocolValues, meta: Meta | undefined, inForceId: string, today: string): ProtocolVersionSummary {
    return {
      id: v.id, name: v.name, document: v.document, effectiveFrom: v.effectiveFrom, basedOn: meta?.based_on ?? null, note: meta?.note ?? '',
      createdBy: meta?.created_by ?? 'system', createdAt: meta ? Number(meta.created_at) : 0, inForce: v.id === inForceId, upcoming: v.effectiveFrom > today,
    };
  }

  /** Every version, newest effective date first, the one in force today marked. */
  async list(scope: Scope): Promise<ProtocolVersionList> {
    scope.require('protocol.read');
    const today = shanghaiDay(this.deps.clock.now());
    const { versions, meta } = await this.versions();
    const inForceId = protocolInForce(today, versions).id;
    return { items: versions.map((v) => this.summary(v, meta.get(v.id), inForceId, today)).reverse(), inForceId, today };
  }

  /** One version: every value with its label, group and source, and its diff against the version before it. */
  async get(scope: Scope, id: string): Promise<ProtocolVersionDetail> {
    scope.require('protocol.read');
    const today = shanghaiDay(this.deps.clock.now());
    const { versions, meta } = await this.versions();
    const i = versions.findIndex((v) => v.id === id);
    const v = versions[i];
    if (!v) throw new AppError('GRIDLINE_NOT_FOUND');
    const inForceId = protocolInForce(today, versions).id;
    const prev = i > 0 ? versions[i - 1]! : null;
    const fields = protocolFields(v).map((f) => ({ path: f.path, group: f.group, label: f.label, text: f.text, sourceKey: f.sourceKey, source: v.sources[f.sourceKey] ?? '' }));
    return {
      version: this.summary(v, meta.get(v.id), inForceId, today),
      values: v,
      fields,
      diff: { from: prev ? this.summary(prev, meta.get(prev.id), inForceId, today) : null, to: this.summary(v, meta.get(v.id), inForceId, today), changes: prev ? diffProtocols(prev, v) : [] },
    };
  }

  /** A version against another (default: the one before it by effective date). */
  async diff(scope: Scope, id: string, against: string | undefined): Promise<ProtocolDiff> {
    scope.require('protocol.read');
    if (!against) return (await this.get(scope, id)).diff;
    const today = shanghaiDay(this.deps.clock.now());
    const { versions, meta } = await this.versions();
    const to = versions.find((v) => v.id === id);
    const from = versions.find((v) => v.id === against);
    if (!to || !from) throw new AppError('GRIDLINE_NOT_FOUND');
    const inForceId = protocolInForce(today, versions).id;
    return { from: this.summary(from, meta.get(from.id), inForceId, today), to: this.summary(to, meta.get(to.id), inForceId, today), changes: diffProtocols(from, to) };
  }

  /** A new version from a base version (audited); takes effect at its date. */
  async create(scope: Scope, body: CreateProtocolVersionBody): Promise<ProtocolVersionDetail> {
    scope.require('protocol.manage');
    const { db, clock, audit, protocols, bus } = this.deps;
    const now = clock.now();
    const today = shanghaiDay(now);
    const base = await protocols.byId(body.basedOn);
    if (!base) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/basedOn', code: 'missing', message: '所选基础版本不存在' }] });
    const fields: FieldError[] = [];
    if (!isCalendarDate(body.effectiveFrom)) fields.push({ path: '/body/effectiveFrom', code: 'format', message: '日期不存在' });
    else if (body.effectiveFrom < today) fields.push({ path: '/body/effectiveFrom', code: 'past', message: `生效日期不能早于今天（${today}）：已作出的决定不能追溯改变` });
    const name = body.name.trim();
    const document = body.document.trim();
    if (name.length < 2) fields.push({ path: '/body/name', code: 'required', message: '请填写方案名称' });
    if (document.length < 2) fields.push({ path: '/body/document', code: 'required', message: '请填写发文文号' });
    const { sources: givenSources, ...input } = body.values;
    const id = newId();
    const draft: ProtocolValues = { ...input, id, name, document, effectiveFrom: body.effectiveFrom, sources: {} };
    fields.push(...protocolValueErrors(draft));
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
    const changes = diffProtocols(base, draft);
    if (!changes.length) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/values', code: 'unchanged', message: '新版本与基础版本的取值完全相同，请至少修改一项' }] });
    // Sources: the base version's, those given, and for a changed value without one, the new version's document.
    const changedKeys = new Set(protocolFields(draft).filter((f) => changes.some((c) => c.path === f.path)).map((f) => f.sourceKey));
    for (const c of changes) if (c.to === null) changedKeys.add(protocolFields(base).find((f) => f.path === c.path)?.sourceKey ?? '');
    const sources: Record<string, string> = { ...base.sources };
    for (const k of changedKeys) if (k) sources[k] = `《${name}》（${document}）修改，基于版本 ${base.id}`;
    for (const [k, text] of Object.entries(givenSources ?? {})) if (text.trim()) sources[k] = text.trim();
    const values: ProtocolValues = { ...draft, sources };
    const row: ProtocolVersionsTable = {
      id, name, document, effective_from: body.effectiveFrom, values: JSON.stringify(values), based_on: base.id, note: body.note?.trim() ?? '',
      created_by: scope.actor.displayName || scope.actor.username, created_at: now,
    };
    await db.transaction().execute(async (tx) => {
      await protocolRepository.insert(tx, row);
      await audit.record(tx, scope, {
        action: 'protocol.create', entityType: 'protocol_version', entityId: id, regionCode: null,
        diff: { basedOn: base.id, name, document, effectiveFrom: body.effectiveFrom, changes: changes.map((c) => ({ field: c.label, from: c.from, to: c.to })) },
      });
    });
    // Visible here at once; other instances drop their cache when they hear of it.
    protocols.added(values);
    void bus?.publish({ type: 'protocol.changed', node: '', ownerId: null, data: { id, by: scope.actor.userId } }).catch(() => undefined);
    return this.get(scope, id);
  }
}
