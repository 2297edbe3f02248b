import crypto from 'node:crypto';
import {
  addDays, assessPersonMeasure, MEASURE_KIND_LABELS, prescribedStages, shanghaiDay, shanghaiDayStart, untilZh,
  type ImposeProposalsBody, type ImposeProposalsResult, type MeasureProposal, type MeasureProposalList, type MeasureProposalQuery, type MeasureSubject,
  type PersonMeasure, type PersonMeasureBody,
} from '@gridline/shared';
import type { Dialect } from '../../db/dialect.js';
import type { Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import type { TracingServices } from '../tracing/index.js';
import { measuresRepository } from './measures.repository.js';
import type { MeasuresService } from './measures.service.js';
import { proposalsRepository } from './proposals.repository.js';

export interface ProposalsDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  protocol: ProtocolProvider;
  measures: MeasuresService;
  /** The tracing module's seam: confirmed contacts under the caller's node, each with the version at its exposure. */
  confirmedContacts: TracingServices['confirmedContacts'];
}

type Contact = Awaited<ReturnType<TracingServices['confirmedContacts']>>['items'][number];

/** Contacts exposed longer ago than the longest protocol's stages (the eighth edition: 14 + 7 days) need nothing now. */
const LOOK_BACK_DAYS = 30;
const PAGE = 500;
const NOT_RESIDENT = '非本辖区登记居民，需转交';
const UNNAMED_SITE = '集中隔离点（待指定）';
const LEVEL_ZH = { community: '社区', street: '街道', district: '区' } as const;
const STATUS_ZH: Record<string, string> = { pending: '待审批', active: '执行中', ended: '已解除' };

/** The advisory-lock key of one contact (PostgreSQL): two bulk runs over the same contact take turns. */
function lockKey(contactId: string): number {
  return crypto.createHash('sha256').update(`measure-proposal:${contactId}`).digest().readInt32BE(0);
}

/**
 * 待采取措施 (issue #7): confirmed close and secondary contacts under my node with no measure taken from them yet,
 * each with what the protocol version at its last exposure prescribes — the stage that covers today, its days
 * counted from the exposure day. Imposing goes through MeasuresService.createPerson (guard, approval level,
 * audit) one contact at a time, so one contact's failure never loses another's; inside each transaction the
 * contact is locked and checked for an earlier measure, so a re-run never imposes twice.
 */
export class MeasureProposals {
  constructor(private readonly deps: ProposalsDeps) {}

  async list(scope: Scope, q: MeasureProposalQuery): Promise<MeasureProposalList> {
    scope.require('measure.write');
    const node = scope.narrow(q.node);
    const contacts = (await this.confirmed(scope, node)).filter((c) => c.category !== 'general' && (!q.caseId || c.caseId === q.caseId));
    const taken = await proposalsRepository.takenContacts(this.deps.db, contacts.map((c) => c.id));
    const open = contacts.filter((c) => !taken.has(c.id));
    // What can be imposed here first (newest exposure first, as the seam returns them), then what cannot and why.
    const items = (await this.propose(open)).sort((a, b) => Number(a.blocked !== null) - Number(b.blocked !== null));
    return { items, total: items.length };
  }

  async impose(scope: Scope, body: ImposeProposalsBody): Promise<ImposeProposalsResult> {
    scope.require('measure.write');
    const byId = new Map((await this.confirmed(scope, scope.node)).map((c) => [c.id, c]));
    const results: ImposeProposalsResult['results'] = [];
    for (const item of body.items) {
      const c = byId.get(item.contactId);
      if (!c) {
        results.push({ contactId: item.contactId, personName: '', outcome: 'refused', measureId: null, message: '接触者不存在、尚未确认或不在您的管辖范围内' });
        continue;
      }
      try {
        results.push(await this.imposeOne(scope, c, item.siteName, item.siteId));
      } catch (err) {
        // Each contact stands alone: an unexpected failure is reported on its row, and the others still go ahead.
        const message = err instanceof AppError ? reasonOf(err) : '处理时出错，未实施，请稍后重试';
        results.push({ contactId: c.id, personName: c.personName, outcome: 'refused', measureId: null, message });
      }
    }
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    return { results, accepted: count('accepted'), pending: count('pending'), refused: count('refused') };
  }

  private async imposeOne(scope: Scope, c: Contact, siteName: string | undefined, siteId: string | undefined): Promise<ImposeProposalsResult['results'][number]> {
    const [p] = await this.propose([c]);
    const refused = (message: string) => ({ contactId: c.id, personName: c.personName, outcome: 'refused' as const, measureId: null, message });
    if (c.category === 'general') return refused('一般接触者无需采取隔离或健康监测措施');
    if (!p || p.blocked || !p.measure || !c.residentId) return refused(p?.note ?? NOT_RESIDENT);
    const m = p.measure;
    const body: PersonMeasureBody = {
      residentId: c.residentId, measure: m.kind, subject: { kind: subjectOf(c).kind }, firstDay: m.firstDay, days: m.days,
      // A designated site (siteId) is checked and its place taken in the measure's transaction; a full one refuses this row only.
      place: m.place === 'site' ? { kind: 'site', name: siteName?.trim() || UNNAMED_SITE, ...(siteId ? { siteId } : {}) } : { kind: 'home', name: '家中' },
      source: { type: 'contact', id: c.id },
    };
    const made = await this.deps.measures.createPerson(scope, body, async (tx: Executor) => {
      await this.deps.dialect.lockChain(tx, lockKey(c.id));
      const prior = await measuresRepository.bySource(tx, 'contact', c.id);
      if (prior) {
        throw new AppError('GRIDLINE_CONFLICT', {
          fields: [{ path: '/body/items', code: 'duplicate', message: `已对该接触者采取过措施（${MEASURE_KIND_LABELS[prior.kind as PersonMeasure]?.zh ?? prior.kind}，${STATUS_ZH[prior.status] ?? prior.status}），未重复实施` }],
        });
      }
    });
    const what = `${MEASURE_KIND_LABELS[m.kind].zh} ${m.days} 天（${m.firstDay} 至 ${m.lastDay}）`;
    return made.status === 'active'
      ? { contactId: c.id, personName: c.personName, outcome: 'accepted', measureId: made.id, message: `已实施：${what}` }
      : { contactId: c.id, personName: c.personName, outcome: 'pending', measureId: made.id, message: `已提交，待${LEVEL_ZH[made.requiredApproval]}审批：${what}` };
  }

  /** Every confirmed contact under `node` exposed within the look-back, through the tracing seam, page by page. */
  private async confirmed(scope: Scope, node: string): Promise<Contact[]> {
    const since = shanghaiDayStart(addDays(shanghaiDay(this.deps.clock.now()), -LOOK_BACK_DAYS));
    const out: Contact[] = [];
    for (let page = 1; ; page++) {
      const r = await this.deps.confirmedContacts(scope, { node, since, page, pageSize: PAGE });
      out.push(...r.items);
      if (r.items.length < PAGE || out.length >= r.total) return out;
    }
  }

  private async propose(contacts: Contact[]): Promise<MeasureProposal[]> {
    const { db, clock, protocol } = this.deps;
    const now = clock.now();
    const today = shanghaiDay(now);
    const residentIds = [...new Set(contacts.map((c) => c.residentId).filter((id): id is string => id !== null))];
    const [live, caseNos] = await Promise.all([proposalsRepository.liveByResident(db, residentIds, now), proposalsRepository.caseNumbers(db, [...new Set(contacts.map((c) => c.caseId))])]);
    const out: MeasureProposal[] = [];
    for (const c of contacts) {
      if (c.category === 'general') continue;
      const v = (await protocol.byId(c.protocolId)) ?? (await protocol.inForce(c.exposureAt));
      const subject = subjectOf(c);
      // Day 1 is the day of the last exposure; each stage follows the one before (REFERENCE §1–2: "自最后一次暴露起算").
      let day = shanghaiDay(c.exposureAt);
      let current: { kind: PersonMeasure; firstDay: string; lastDay: string; days: number } | null = null;
      let lastDay: string | null = null;
      for (const st of prescribedStages(v, subject)) {
        if (st.days === null) break;
        const last = addDays(day, st.days - 1);
        lastDay = last;
        if (!current && last >= today) current = { kind: st.measure, firstDay: day, lastDay: last, days: st.days };
        day = addDays(day, st.days);
      }
      const assessed = assessPersonMeasure(v, subject, current?.kind ?? 'home_health_monitoring', current?.days ?? 1);
      const base = {
        contactId: c.id, caseId: c.caseId, caseNo: caseNos.get(c.caseId) ?? '', personName: c.personName, residentId: c.residentId, regionCode: c.regionCode,
        category: c.category as 'close' | 'secondary', exposureAt: c.exposureAt, protocol: { id: v.id, name: v.name }, prescribed: assessed.prescribed,
      };
      const measure = current ? { ...current, place: current.kind === 'centralized_isolation' ? ('site' as const) : ('home' as const), approval: assessed.approval } : null;
      const existing = c.residentId ? live.get(c.residentId) : undefined;
      if (lastDay === null) out.push({ ...base, measure: null, blocked: 'not_prescribed', note: `${assessed.prescribed}，无需采取措施` });
      else if (!measure) out.push({ ...base, measure: null, blocked: 'period_over', note: `规定期限已满（${lastDay} 止），无需再采取措施` });
      else if (!c.residentId) out.push({ ...base, measure, blocked: 'not_resident', note: NOT_RESIDENT });
      else if (existing) {
        const label = MEASURE_KIND_LABELS[existing.kind as PersonMeasure]?.zh ?? existing.kind;
        out.push({ ...base, measure, blocked: 'has_measure', note: `已有${label}（${STATUS_ZH[existing.status] ?? existing.status}，至${untilZh(existing.end)}），如需更长请在该措施上办理延长` });
      } else out.push({ ...base, measure, blocked: null, note: null });
    }
    return out;
  }
}

function subjectOf(c: Contact): MeasureSubject {
  return c.category === 'secondary' ? { kind: 'secondary_contact' } : { kind: 'close_contact' };
}

/** The Chinese reason an AppError carries: its field messages, else its details' reason, else the code's message. */
function reasonOf(err: AppError): string {
  if (err.fields?.length) return err.fields.map((f) => f.message).join('；');
  const reason = err.details?.['reason'];
  if (typeof reason === 'string') return reason;
  return err.toResponse().error.message;
}
