import { shanghaiDay, type DepartmentKind, type WhistleCategory, type WhistleRating, type WhistleUrgency } from '@gridline/shared';
import type { AppContext } from '../context.js';
import { Scope } from '../security/scope.js';
import { DEMO_DISTRICT, DEMO_STREET } from './demo-street.js';

const HOUR = 3_600_000;
const MIN = 60_000;

/**
 * 吹哨报到 in the demo street: the departments that answer its whistles (the demo account `dept` works at the
 * street's 卫健办), routing rules for every category but housing (which falls to the street command, 兜底), and
 * whistles in every state — overdue and escalated ones, some awaiting a rating, a fortnight of closed ones so that
 * the performance page has figures. Made through the services (numbered, routed, audited, with timelines), then
 * moved back in time where a whistle is meant to have happened days ago.
 */
export async function seedWhistlesDemo(ctx: AppContext, now: number): Promise<void> {
  const { departments, whistles, users } = ctx.services;
  const sys = Scope.system('demo');
  const street = DEMO_STREET.code;
  const mk = (name: string, kind: DepartmentKind, nodeCode: string, dutyContact: string, dutyPhone: string, categories: WhistleCategory[]) =>
    departments.create(sys, { name, kind, nodeCode, dutyContact, dutyPhone, categories });
  const health = await mk('清溪街道卫健办', 'health', street, '王建国', '0551-65101001', ['medical', 'epidemic']);
  const cdc = await mk('蜀山区疾控中心', 'cdc', DEMO_DISTRICT.code, '疾控值班室', '0551-65102002', ['epidemic']);
  const police = await mk('清溪派出所', 'police', street, '值班民警', '0551-65103003', ['public_order', 'traffic']);
  const urban = await mk('清溪城管中队', 'urban', street, '李队长', '12319', ['sanitation']);
  const civil = await mk('街道民政科', 'civil', street, '陈科长', '0551-65104004', ['welfare', 'supplies']);
  const market = await mk('清溪市场监管所', 'market', street, '赵所长', '12315', ['market', 'supplies']);
  const water = await mk('城区供水服务站', 'water', street, '供水抢修', '0551-96300', ['utilities']);
  const power = await mk('供电所清溪班组', 'power', street, '供电抢修', '95598', ['utilities']);
  await mk('住建局物业科', 'housing', DEMO_DISTRICT.code, '物业科', '0551-65105005', []);

  const rules: [WhistleCategory, string, boolean?][] = [
    ['medical', health.id], ['epidemic', health.id], ['epidemic', cdc.id], ['public_order', police.id], ['traffic', police.id], ['sanitation', urban.id],
    ['welfare', civil.id], ['supplies', civil.id], ['supplies', market.id], ['market', market.id], ['utilities', water.id], ['utilities', power.id],
  ];
  for (const [category, departmentId] of rules) await departments.addRoute(sys, { category, nodeCode: street, departmentId });

  const dept = await ctx.db.selectFrom('users').select('id').where('username', '=', 'dept').executeTakeFirst();
  if (dept) await users.update(sys, dept.id, { departmentId: health.id });

  const c1 = `${street}001`;
  const grid = (c: number, g: number) => `${street}${String(c).padStart(3, '0')}${String(g).padStart(3, '0')}`;
  const raise = (category: WhistleCategory, urgency: WhistleUrgency, title: string, description: string, regionCode: string, address: string) =>
    whistles.raise(Scope.system('梅园第1网格 网格员'), { category, urgency, title, description, regionCode, address, source: 'worker' });

  /** Moves a whistle and its timeline back by `ms` (demo history only). */
  const backdate = async (id: string, ms: number) => {
    const w = await ctx.db.selectFrom('whistles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const back = (v: number | null) => (v === null ? null : Number(v) - ms);
    await ctx.db.updateTable('whistles').set({
      created_at: back(w.created_at)!, updated_at: back(w.updated_at)!, ack_due_at: back(w.ack_due_at)!, resolve_due_at: back(w.resolve_due_at)!,
      next_escalation_at: back(w.next_escalation_at), acknowledged_at: back(w.acknowledged_at), resolved_at: back(w.resolved_at), closed_at: back(w.closed_at),
    }).where('id', '=', id).execute();
    const events = await ctx.db.selectFrom('whistle_events').select(['id', 'at']).where('whistle_id', '=', id).execute();
    for (const e of events) await ctx.db.updateTable('whistle_events').set({ at: Number(e.at) - ms }).where('id', '=', e.id).execute();
  };
  let historyNo = 0;
  /** Raise, acknowledge after `ackMin`, resolve after `resolveH`, rate; all `daysAgo` days back. */
  const history = async (
    category: WhistleCategory, urgency: WhistleUrgency, title: string, regionCode: string, daysAgo: number, ackMin: number, resolveH: number | null, rating: WhistleRating | null, solved = true,
  ) => {
    const w = await raise(category, urgency, title, `${title}，请相关部门协助处置。`, regionCode, '');
    // The steps happen "now" and are then spread out by shifting the earlier timestamps.
    let d = await whistles.acknowledge(sys, w.id, { version: 1, note: '已签收，安排人员处置' });
    if (resolveH !== null) {
      d = await whistles.progress(sys, w.id, { version: d.version, note: '人员已到现场' });
      d = await whistles.resolve(sys, w.id, { version: d.version, note: '已处置完毕，附现场情况' });
      if (rating) await whistles.confirm(Scope.system('梅园社区 社工'), w.id, { version: d.version, rating, solved, note: rating === 'dissatisfied' ? '问题反复出现' : '' });
    }
    const created = now - daysAgo * 24 * HOUR;
    // The number carries the day it was raised (the demo's history numbers start at 0901 to stay clear of today's).
    historyNo++;
    await ctx.db.updateTable('whistles').set({
      no: `CS${shanghaiDay(created).replaceAll('-', '')}-${String(900 + historyNo).padStart(4, '0')}`,
      created_at: created, ack_due_at: created + (urgency === 'emergency' ? 30 * MIN : urgency === 'tough' ? 2 * HOUR : 24 * HOUR),
      resolve_due_at: created + (urgency === 'emergency' ? 24 * HOUR : urgency === 'tough' ? 168 * HOUR : 360 * HOUR), acknowledged_at: created + ackMin * MIN,
      resolved_at: resolveH === null ? null : created + resolveH * HOUR, closed_at: rating ? created + (resolveH ?? 0) * HOUR + 2 * HOUR : null, updated_at: created + (resolveH ?? 1) * HOUR,
      next_escalation_at: null,
    }).where('id', '=', w.id).execute();
    const events = await ctx.db.selectFrom('whistle_events').select(['id', 'kind']).where('whistle_id', '=', w.id).orderBy('at').orderBy('id').execute();
    const at: Record<string, number> = {
      raised: created, routed: created, acknowledged: created + ackMin * MIN, progress: created + ackMin * MIN + 20 * MIN,
      resolved: created + (resolveH ?? 0) * HOUR, confirmed: created + (resolveH ?? 0) * HOUR + 2 * HOUR,
    };
    for (const e of events) await ctx.db.updateTable('whistle_events').set({ at: at[e.kind] ?? created }).where('id', '=', e.id).execute();
  };

  // A fortnight of closed whistles (for the performance figures).
  const past: [WhistleCategory, WhistleUrgency, string, number, number, number, WhistleRating, boolean?][] = [
    ['medical', 'emergency', '独居老人突发胸闷需转运', 13, 12, 3, 'satisfied'],
    ['sanitation', 'daily', '小区垃圾清运不及时', 12, 300, 30, 'basically_satisfied'],
    ['utilities', 'tough', '3号楼停水超过12小时', 11, 45, 10, 'satisfied'],
    ['supplies', 'emergency', '封控楼栋蔬菜包短缺', 10, 20, 6, 'satisfied'],
    ['public_order', 'daily', '夜间广场舞噪音扰民', 9, 200, 48, 'dissatisfied', false],
    ['market', 'daily', '药店退烧药哄抬价格', 8, 600, 72, 'satisfied'],
    ['medical', 'tough', '透析患者出行需协调', 7, 90, 20, 'satisfied'],
    ['welfare', 'daily', '困难家庭临时救助申请', 6, 1500, 120, 'basically_satisfied'],
    ['epidemic', 'emergency', '核酸采样点排队过长', 5, 25, 4, 'satisfied'],
    ['sanitation', 'daily', '楼道堆放杂物存在隐患', 4, 400, 60, 'dissatisfied', false],
    ['utilities', 'emergency', '燃气表箱异味', 3, 15, 2, 'satisfied'],
    ['medical', 'daily', '居家隔离人员配药', 2, 180, 20, 'satisfied'],
  ];
  for (const [i, [category, urgency, title, daysAgo, ackMin, resolveH, rating, solved]] of past.entries()) {
    await history(category, urgency, title, grid((i % 3) + 1, (i % 4) + 1), daysAgo, ackMin, resolveH, rating, solved ?? true);
  }
  // Resolved yesterday, waiting for the community's rating.
  await history('medical', 'tough', '发热门诊预约困难', grid(1, 2), 1, 40, 18, null);

  // Open now: one being handled, one not yet acknowledged, one overdue that has already climbed to the street, one 兜底.
  const handling = await raise('epidemic', 'tough', '隔离楼栋消杀需求', '5号楼出现阳性病例，需要疾控指导终末消杀。', grid(1, 1), '梅园小区5号楼');
  await whistles.acknowledge(sys, handling.id, { version: 1, note: '卫健办已联系疾控，明早到场' });
  await raise('medical', 'emergency', '独居老人断药两天', '1栋独居老人降压药已断两天，子女在外地，需卫健协调送药上门。', grid(1, 1), '梅园小区1栋1单元0302');
  const overdue = await raise('utilities', 'emergency', '小区主管道爆裂', '梅园小区东门主水管爆裂，路面积水，多栋楼停水。', c1, '梅园小区东门');
  await backdate(overdue.id, 50 * MIN);
  await raise('housing', 'daily', '老旧楼外墙瓷砖脱落', '8号楼外墙瓷砖有脱落风险，需住建部门评估。', grid(2, 3), '桂苑小区8号楼');
  // Whatever is past its deadline escalates now, as the periodic sweep would.
  await whistles.sweep();
}
