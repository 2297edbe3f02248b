import crypto from 'node:crypto';
import {
  ancestorCodes, classifyText, cleanMessage, DEDUPE_WINDOW_MS, dedupeText, DEFAULT_KEYWORD_RULES, isWhistleCategory, maskName, maskPhone, parseMobilePhone,
  type ClassifyBody, type Classification, type CreateInboxRuleBody, type DismissBody, type InboxChannel, type InboxItem, type InboxItemDetail, type InboxListQuery,
  type InboxPage, type InboxRule, type InboxStatus, type IntakeOutcome, type IntakeResult, type KeywordRule, type PortalSubmitBody, type RouteBody,
  type RowError, type UpdateInboxRuleBody, type WhistleCategory, type WhistleUrgency,
} from '@gridline/shared';
import type { Db, InboxItemsTable, InboxRulesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import type { Notifier } from '../notifications/notifier.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { inboxRepository as repo, type InboxRow } from './inbox.repository.js';
import type { WhistleRaiser } from './whistle-raiser.js';

/** One message from any channel, before it is stored. */
export interface IncomingItem {
  channel: InboxChannel;
  externalId: string | null;
  receivedAt: number;
  /**
   * The jurisdiction it arrived through (the token's node, the resident's unit, the email node); refined by address or
   * phone to the reporter's unit (建筑单元: the deepest region node, where whistles can be raised).
   */
  node: string;
  /** Already placed exactly (a resident's household): no address or phone look-up. */
  placed?: boolean;
  reporterName: string | null;
  reporterPhone: string | null;
  residentId?: string | null;
  address: string | null;
  subject?: string;
  text: string;
  requestedCategory?: string | null;
  urgency?: WhistleUrgency | null;
  deadlineAt?: number | null;
  meta?: Record<string, unknown>;
  photo?: string | null;
}

export interface InboxDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cipher: PersonalDataCipher;
  notifier: Notifier;
  /** The whistles module, once it is built (services.whistles); until then routing is refused with a clear message. */
  whistles: () => WhistleRaiser | null;
}

const PHOTO_MAX_BYTES = 700 * 1024;

function toRule(r: InboxRulesTable): InboxRule {
  return {
    id: r.id, nodeCode: r.node_code, name: r.name, category: r.category as WhistleCategory, urgency: r.urgency as WhistleUrgency, keywords: JSON.parse(r.keywords) as string[],
    minHits: r.min_hits, autoRoute: r.auto_route === 1, active: r.active === 1, priority: r.priority, version: r.version,
  };
}

function keywordRule(r: InboxRulesTable): KeywordRule {
  const x = toRule(r);
  return { id: x.id, name: x.name, category: x.category, urgency: x.urgency, keywords: x.keywords, minHits: x.minHits, autoRoute: x.autoRoute, priority: x.priority };
}

export function toInboxItem(r: InboxRow): InboxItem {
  return {
    id: r.id, channel: r.channel as InboxChannel, externalId: r.external_id, receivedAt: Number(r.received_at), regionCode: r.region_code, regionName: r.region_name ? (r.parent_name && r.region_code.length >= 18 ? `${r.parent_name} ${r.region_name}` : r.region_name) : r.region_code,
    reporterName: r.reporter_name_masked, reporterPhone: r.reporter_phone_masked, address: r.address, subject: r.subject, text: r.text,
    requestedCategory: isWhistleCategory(r.requested_category) ? r.requested_category : null, category: isWhistleCategory(r.category) ? r.category : null,
    urgency: r.urgency as WhistleUrgency, ruleName: r.rule_name, matched: JSON.parse(r.matched) as string[], confidence: r.confidence as InboxItem['confidence'],
    status: r.status as InboxStatus, duplicateOf: r.duplicate_of, whistleId: r.whistle_id, whistleNo: r.whistle_no, deadlineAt: r.deadline_at === null ? null : Number(r.deadline_at),
    meta: JSON.parse(r.meta) as Record<string, unknown>, hasPhoto: r.photo !== null, note: r.note, handledBy: r.handled_by, handledAt: r.handled_at === null ? null : Number(r.handled_at),
    version: r.version,
  };
}

function phoneOf(raw: string | null): string | null {
  if (!raw) return null;
  const m = parseMobilePhone(raw);
  return m.ok ? m.value : raw.replace(/\s+/g, '');
}

/**
 * The one inbox (线上一张网): every channel's messages land here, deduplicated, classified by editable keyword
 * rules, and routed as whistles — automatically when a rule decides with high confidence and allows it, else by a
 * person. Each incoming item is stored in its own transaction, so one bad item never loses the rest of a batch.
 */
export class InboxService {
  constructor(private readonly deps: InboxDeps) {}

  // ---- intake ----

  /** Stores a batch; outcomes in order. Accepted items classified for auto-routing are routed after they commit. */
  async intake(scope: Scope, items: (IncomingItem | { rejected: string; row?: number })[]): Promise<IntakeResult> {
    const outcomes: IntakeOutcome[] = [];
    const fresh: InboxItemsTable[] = [];
    for (const [index, item] of items.entries()) {
      if ('rejected' in item) {
        outcomes.push({ index, ...(item.row ? { row: item.row } : {}), status: 'rejected', reason: item.rejected });
        continue;
      }
      try {
        const r = await this.store(scope, item);
        outcomes.push({ index, status: r.duplicate ? 'duplicate' : 'accepted', itemId: r.row.id });
        if (!r.duplicate && r.row.status === 'new') fresh.push(r.row);
      } catch (err) {
        outcomes.push({ index, status: 'rejected', reason: err instanceof AppError ? (err.fields?.[0]?.message ?? err.message) : '保存失败（系统内部错误）' });
      }
    }
    let routed = 0;
    for (const row of fresh) {
      if (row.confidence !== 'high' || !(await this.autoRoutes(row))) continue;
      const out = outcomes.find((o) => o.itemId === row.id);
      try {
        const w = await this.routeRow(Scope.system('inbox'), row.id, { category: row.category as WhistleCategory, urgency: row.urgency as WhistleUrgency }, true);
        if (out && w) out.whistleNo = w.no;
        if (w) routed++;
      } catch {
        // Stays new for a person to route (no whistles module yet, or no department for the category).
      }
    }
    await this.announce(fresh.filter((r) => !outcomes.find((o) => o.itemId === r.id)?.whistleNo));
    return {
      accepted: outcomes.filter((o) => o.status === 'accepted').length,
      duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
      rejected: outcomes.filter((o) => o.status === 'rejected').length,
      routed,
      items: outcomes,
      errors: [],
    };
  }

  /** Whether the rule that classified this row still allows auto-routing. */
  private async autoRoutes(row: InboxItemsTable): Promise<boolean> {
    if (!row.rule_id || !row.category) return false;
    const rule = await repo.rule(this.deps.db, row.rule_id);
    return !!rule && rule.auto_route === 1 && rule.active === 1;
  }

  /** Tells the inbox's readers at and above each node that new items wait (one notification per node and batch). */
  private async announce(rows: InboxItemsTable[]): Promise<void> {
    const byNode = new Map<string, InboxItemsTable[]>();
    for (const r of rows) byNode.set(r.region_code, [...(byNode.get(r.region_code) ?? []), r]);
    for (const [node, list] of byNode) {
      const first = list[0]!;
      await this.deps.notifier
        .notify({
          node, permission: 'inbox.read', kind: 'inbox.new',
          title: list.length === 1 ? `收到新诉求：${first.text.slice(0, 20)}` : `收到 ${list.length} 条新诉求`,
          body: list.length === 1 ? first.text.slice(0, 200) : list.map((r) => `· ${r.text.slice(0, 40)}`).slice(0, 10).join('\n'),
          link: list.length === 1 ? `/inbox?id=${first.id}` : '/inbox?status=new',
        })
        .catch(() => undefined);
    }
  }

  private async placeOf(item: IncomingItem, phone: string | null): Promise<{ regionCode: string; residentId: string | null }> {
    const { db, cipher } = this.deps;
    if (item.placed) return { regionCode: item.node, residentId: item.residentId ?? null };
    if (item.address) {
      const hh = await repo.householdByAddress(db, item.node, item.address.trim());
      if (hh.length === 1) return { regionCode: hh[0]!.unit_code, residentId: null };
    }
    if (phone) {
      const rs = await repo.residentByPhoneHash(db, item.node, cipher.lookupHash('phone', phone));
      if (rs.length === 1) return { regionCode: rs[0]!.unit_code, residentId: rs[0]!.id };
    }
    return { regionCode: item.node, residentId: item.residentId ?? null };
  }

  private async store(scope: Scope, item: IncomingItem): Promise<{ row: InboxItemsTable; duplicate: boolean }> {
    const { db, cipher, clock, audit } = this.deps;
    const text = cleanMessage(item.text);
    if (!text) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/text', code: 'required', message: '内容为空' }] });
    if (item.externalId) {
      const seen = await repo.byExternal(db, item.channel, item.externalId);
      if (seen) return { row: (await repo.byId(db, seen.id))!, duplicate: true };
    }
    const phone = phoneOf(item.reporterPhone);
    const phoneHash = phone ? cipher.lookupHash('phone', phone) : null;
    const textKey = crypto.createHash('sha256').update(dedupeText(text)).digest('hex');
    const place = await this.placeOf(item, phone);
    const rules = (await repo.rulesFor(db, ancestorCodes(place.regionCode), true)).map(keywordRule);
    const c: Classification = classifyText(`${item.subject ?? ''}\n${text}`, rules);
    const requested = isWhistleCategory(item.requestedCategory) ? item.requestedCategory : null;
    const now = clock.now();
    const row: InboxItemsTable = {
      id: newId(), channel: item.channel, external_id: item.externalId, received_at: item.receivedAt, region_code: place.regionCode,
      reporter_name_enc: item.reporterName ? cipher.encrypt(item.reporterName) : null, reporter_name_masked: item.reporterName ? maskName(item.reporterName) : null,
      reporter_phone_enc: phone ? cipher.encrypt(phone) : null, reporter_phone_hash: phoneHash, reporter_phone_masked: phone ? maskPhone(phone) : null,
      resident_id: place.residentId, address: item.address?.trim() ?? '', subject: item.subject?.trim().slice(0, 200) ?? '', text, text_key: textKey,
      requested_category: requested, category: c.category ?? requested, urgency: c.category ? higher(c.urgency, item.urgency ?? 'daily') : (item.urgency ?? 'daily'),
      rule_id: c.ruleId, rule_name: c.ruleName, matched: JSON.stringify(c.matched), confidence: c.confidence, status: 'new', duplicate_of: null,
      whistle_id: null, whistle_no: null, department_id: null, deadline_at: item.deadlineAt ?? null, meta: JSON.stringify(item.meta ?? {}), photo: item.photo ?? null,
      note: '', handled_by: null, handled_at: null, created_at: now, updated_at: now, version: 1,
    };
    if (phoneHash) {
      const first = await repo.firstSameText(db, textKey, phoneHash, item.receivedAt - DEDUPE_WINDOW_MS, item.receivedAt);
      if (first) {
        row.status = 'duplicate';
        row.duplicate_of = first.id;
      }
    }
    try {
      await db.transaction().execute(async (tx) => {
        await repo.insert(tx, row);
        await audit.record(tx, scope, {
          action: 'inbox.receive', entityType: 'inbox_item', entityId: row.id, regionCode: row.region_code,
          diff: { channel: row.channel, externalId: row.external_id, category: row.category, rule: row.rule_name, status: row.status, duplicateOf: row.duplicate_of },
        });
      });
    } catch (err) {
      // Two deliveries of the same external id at once: the second is the duplicate.
      if (err instanceof AppError && err.code === 'GRIDLINE_CONFLICT' && item.externalId) {
        const seen = await repo.byExternal(db, item.channel, item.externalId);
        if (seen) return { row: (await repo.byId(db, seen.id))!, duplicate: true };
      }
      throw err;
    }
    return { row, duplicate: false };
  }

  // ---- channels ----

  /** 我要反映: a signed-in resident's request; placed at their household. */
  async submitFromPortal(scope: Scope, body: PortalSubmitBody) {
    scope.require('self.write');
    const residentId = scope.actor.residentId;
    const resident = residentId ? await repo.resident(this.deps.db, residentId) : undefined;
    if (!resident) throw new AppError('GRIDLINE_FORBIDDEN');
    if (body.photo && Buffer.byteLength(body.photo.slice(body.photo.indexOf(',') + 1), 'base64') > PHOTO_MAX_BYTES) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/photo', code: 'too_large', message: '照片不能超过 700 KB，请压缩后再上传' }] });
    }
    const res = await this.intake(scope, [{
      channel: 'portal', externalId: null, receivedAt: this.deps.clock.now(), node: resident.unit_code, placed: true, residentId: resident.id,
      reporterName: resident.name, reporterPhone: resident.phone_enc ? this.deps.cipher.decrypt(resident.phone_enc) : null, address: null, text: body.text,
      requestedCategory: body.category ?? null, photo: body.photo ?? null,
    }]);
    const out = res.items[0]!;
    if (out.status === 'rejected' || !out.itemId) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/text', code: 'rejected', message: out.reason ?? '提交失败' }] });
    return (await this.mySubmissions(scope)).find((s) => s.id === out.itemId)!;
  }

  async mySubmissions(scope: Scope) {
    scope.require('self.read');
    if (!scope.actor.residentId) return [];
    return (await repo.ofResident(this.deps.db, scope.actor.residentId)).map((r) => ({
      id: r.id, receivedAt: Number(r.received_at), category: isWhistleCategory(r.category) ? r.category : null, text: r.text, status: r.status as InboxStatus, whistleNo: r.whistle_no,
    }));
  }

  // ---- reading ----

  async list(scope: Scope, q: InboxListQuery): Promise<InboxPage> {
    scope.require('inbox.read');
    const node = scope.narrow(q.node);
    const r = await repo.list(this.deps.db, scope, node, q);
    return { items: r.rows.map(toInboxItem), total: r.total, page: r.page, pageSize: r.pageSize, counts: r.counts };
  }

  async get(scope: Scope, id: string): Promise<InboxItemDetail> {
    scope.require('inbox.read');
    const row = await repo.shown(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    const [dups, path] = await Promise.all([repo.duplicatesOf(this.deps.db, id), regionsRepository.path(this.deps.db, row.region_code)]);
    // Where it is, as a worker says it: from the community down (梅园社区 / 第1网格 / 3栋 / 1单元).
    const where = path.slice(Math.min(2, Math.max(0, path.length - 1))).map((n) => n.name).join(' / ');
    return { ...toInboxItem(row), regionName: where || row.region_code, photo: row.photo, duplicates: dups.map((d) => ({ id: d.id, channel: d.channel as InboxChannel, receivedAt: Number(d.received_at) })) };
  }

  private async reachable(scope: Scope, id: string, version: number) {
    scope.require('inbox.manage');
    const row = await repo.byId(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    if (row.version !== version) throw new AppError('GRIDLINE_STALE_VERSION');
    return row;
  }

  // ---- a person's decisions ----

  async classify(scope: Scope, id: string, body: ClassifyBody): Promise<InboxItemDetail> {
    const before = await this.reachable(scope, id, body.version);
    if (before.status === 'routed') throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/category', code: 'routed', message: '已派发的诉求不能再改分类' }] });
    const patch: Partial<InboxItemsTable> = { category: body.category, urgency: body.urgency ?? before.urgency, rule_id: null, rule_name: '人工分类', confidence: 'high', updated_at: this.deps.clock.now() };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.update(tx, id, before.version, patch);
      await this.deps.audit.record(tx, scope, { action: 'inbox.classify', entityType: 'inbox_item', entityId: id, regionCode: before.region_code, diff: auditDiff({ category: before.category, urgency: before.urgency }, { category: patch.category, urgency: patch.urgency }) });
    });
    return this.get(scope, id);
  }

  async route(scope: Scope, id: string, body: RouteBody): Promise<InboxItemDetail> {
    scope.require('whistle.raise');
    const before = await this.reachable(scope, id, body.version);
    await this.routeRow(scope, before.id, body, false);
    return this.get(scope, id);
  }

  async dismiss(scope: Scope, id: string, body: DismissBody): Promise<InboxItemDetail> {
    const before = await this.reachable(scope, id, body.version);
    if (before.status === 'routed' || before.status === 'dismissed') {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/note', code: 'state', message: before.status === 'routed' ? '已派发的诉求不能驳回' : '该诉求已驳回' }] });
    }
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.update(tx, id, before.version, { status: 'dismissed', note: body.note.trim(), handled_by: scope.actor.displayName || scope.actor.username, handled_at: now, updated_at: now });
      await this.deps.audit.record(tx, scope, { action: 'inbox.dismiss', entityType: 'inbox_item', entityId: id, regionCode: before.region_code, diff: auditDiff({ status: before.status }, { status: 'dismissed', note: body.note.trim() }) });
    });
    return this.get(scope, id);
  }

  /** Raises the whistle for an item and records it; the whistles module owns the whistle, its department and deadlines. */
  private async routeRow(scope: Scope, id: string, body: Omit<RouteBody, 'version'>, automatic: boolean): Promise<{ id: string; no: string } | null> {
    const { db, clock, audit } = this.deps;
    const before = await repo.byId(db, id);
    if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
    if (before.status === 'routed' || before.status === 'dismissed') {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/version', code: 'state', message: before.status === 'routed' ? `已派发（${before.whistle_no ?? ''}）` : '已驳回的诉求不能派发' }] });
    }
    const category = body.category ?? (isWhistleCategory(before.category) ? before.category : null);
    if (!category) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/category', code: 'required', message: '请先选择分类再派发' }] });
    const whistles = this.deps.whistles();
    if (!whistles) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/category', code: 'unavailable', message: '吹哨报到模块尚未启用，暂不能派发' }] });
    const urgency = body.urgency ?? (before.urgency as WhistleUrgency);
    const w = await whistles.raise(scope, {
      category, urgency, title: body.title ?? before.text.replace(/\s+/g, ' ').slice(0, 30), description: before.text, regionCode: before.region_code,
      ...(before.address ? { address: before.address } : {}), source: 'inbox', inboxItemId: before.id, ...(body.departmentId ? { departmentId: body.departmentId } : {}),
    });
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      const fresh = (await repo.byId(tx, id))!;
      await repo.update(tx, id, fresh.version, {
        status: 'routed', category, urgency, whistle_id: w.id, whistle_no: w.no, department_id: w.departmentId ?? null,
        handled_by: automatic ? '自动派发' : scope.actor.displayName || scope.actor.username, handled_at: now, updated_at: now,
      });
      await audit.record(tx, scope, { action: 'inbox.route', entityType: 'inbox_item', entityId: id, regionCode: before.region_code, diff: { ...auditDiff({ status: before.status }, { status: 'routed' }), whistleId: w.id, whistleNo: w.no, automatic } });
    });
    return { id: w.id, no: w.no };
  }

  // ---- keyword rules ----

  async rules(scope: Scope): Promise<InboxRule[]> {
    scope.require('inbox.read');
    // The rules kept above my node apply to my items too: show them (read-only for me) with mine.
    const above = await repo.rulesFor(this.deps.db, ancestorCodes(scope.node).filter((c) => c !== scope.node), false);
    const mine = await repo.rulesUnder(this.deps.db, scope);
    return [...above, ...mine].map(toRule);
  }

  async createRule(scope: Scope, body: CreateInboxRuleBody): Promise<InboxRule> {
    scope.require('inbox.manage');
    const node = scope.narrow(body.nodeCode);
    const now = this.deps.clock.now();
    const row: InboxRulesTable = {
      id: newId(), node_code: node, name: body.name.trim(), category: body.category, urgency: body.urgency ?? 'daily', keywords: JSON.stringify(cleanKeywords(body.keywords)),
      min_hits: body.minHits ?? 1, auto_route: body.autoRoute ? 1 : 0, active: body.active === false ? 0 : 1, priority: body.priority ?? 100,
      created_by: scope.actor.userId, created_at: now, updated_at: now, version: 1,
    };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertRule(tx, row);
      await this.deps.audit.record(tx, scope, { action: 'inbox.rule.create', entityType: 'inbox_rule', entityId: row.id, regionCode: node, diff: auditDiff(null, ruleAudit(row)) });
    });
    return toRule(row);
  }

  async updateRule(scope: Scope, id: string, body: UpdateInboxRuleBody): Promise<InboxRule> {
    scope.require('inbox.manage');
    const before = await repo.rule(this.deps.db, id);
    if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(before.node_code);
    if (before.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
    const patch: Partial<InboxRulesTable> = { updated_at: this.deps.clock.now() };
    if (body.name !== undefined) patch.name = body.name.trim();
    if (body.category !== undefined) patch.category = body.category;
    if (body.urgency !== undefined) patch.urgency = body.urgency;
    if (body.keywords !== undefined) patch.keywords = JSON.stringify(cleanKeywords(body.keywords));
    if (body.minHits !== undefined) patch.min_hits = body.minHits;
    if (body.autoRoute !== undefined) patch.auto_route = body.autoRoute ? 1 : 0;
    if (body.active !== undefined) patch.active = body.active ? 1 : 0;
    if (body.priority !== undefined) patch.priority = body.priority;
    const after = { ...before, ...patch, version: before.version + 1 };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateRule(tx, id, before.version, patch);
      await this.deps.audit.record(tx, scope, { action: 'inbox.rule.update', entityType: 'inbox_rule', entityId: id, regionCode: before.node_code, diff: auditDiff(ruleAudit(before), ruleAudit(after)) });
    });
    return toRule(after);
  }

  async deleteRule(scope: Scope, id: string): Promise<{ ok: true }> {
    scope.require('inbox.manage');
    const before = await repo.rule(this.deps.db, id);
    if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(before.node_code);
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.deleteRule(tx, id);
      await this.deps.audit.record(tx, scope, { action: 'inbox.rule.delete', entityType: 'inbox_rule', entityId: id, regionCode: before.node_code, diff: auditDiff(ruleAudit(before), null) });
    });
    return { ok: true };
  }

  /** How the rules in force at a node (default mine) would classify a text; nothing is stored. */
  async testRules(scope: Scope, text: string, node?: string): Promise<Classification> {
    scope.require('inbox.read');
    const at = scope.narrow(node);
    const rules = (await repo.rulesFor(this.deps.db, ancestorCodes(at), true)).map(keywordRule);
    return classifyText(text, rules);
  }

  /** Gives a node the starting rule set (DEFAULT_KEYWORD_RULES) when no rule exists anywhere yet. */
  async seedDefaultRules(scope: Scope, node: string): Promise<number> {
    if ((await repo.countRules(this.deps.db)) > 0) return 0;
    for (const r of DEFAULT_KEYWORD_RULES) {
      await this.createRule(scope, { name: r.name, category: r.category, urgency: r.urgency, keywords: r.keywords, minHits: r.minHits, autoRoute: r.autoRoute, priority: r.priority, nodeCode: node });
    }
    return DEFAULT_KEYWORD_RULES.length;
  }
}

const URGENCY_RANK: Record<WhistleUrgency, number> = { daily: 0, tough: 1, emergency: 2 };
function higher(a: WhistleUrgency, b: WhistleUrgency): WhistleUrgency {
  return URGENCY_RANK[b] > URGENCY_RANK[a] ? b : a;
}

function cleanKeywords(list: string[]): string[] {
  return [...new Set(list.map((k) => k.trim()).filter(Boolean))];
}

function ruleAudit(r: InboxRulesTable): Record<string, unknown> {
  return { name: r.name, category: r.category, urgency: r.urgency, keywords: r.keywords, minHits: r.min_hits, autoRoute: r.auto_route, active: r.active, priority: r.priority };
}

export type { RowError };
