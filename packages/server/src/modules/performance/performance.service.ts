import ExcelJS from 'exceljs';
import {
  addDays, computeRates, periodKey, shanghaiDay, shanghaiDayStart, WHISTLE_LEVEL_CODE_LENGTH, type PerformanceQuery, type PerformanceReport, type PerformanceRow, type RateInput,
  type Rates, type WhistleRating, type WhistleStatus,
} from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import { departmentsRepository } from '../departments/departments.repository.js';
import { whistlesRepository, type WhistleViewer } from '../whistles/whistles.repository.js';

/** The formulas, in the words shown on the page and in the export (REFERENCE.md §4; definitions marked [U] there). */
export const RATE_FORMULAS = {
  response: '响应率 = 在签收时限内签收的哨件数 ÷ 派出的哨件数（统计期内发起的全部哨件，含街道兜底）',
  resolution: '解决率 = 社区评价“已解决”的哨件数 ÷ 已评价的哨件数',
  satisfaction: '满意率 = 社区评价“满意”的哨件数 ÷ 已评价的哨件数（“基本满意”“不满意”不计入分子）',
};

const MAX_DAYS = 366;
const FALLBACK = '街道兜底';

/**
 * 12345-style figures over whistles raised in a period: the three rates, average times and overdue counts, in
 * total and by department, community and day/week/month. Department staff see their own department's figures;
 * everyone else their jurisdiction's.
 */
export class PerformanceService {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  async report(scope: Scope, q: PerformanceQuery): Promise<PerformanceReport> {
    scope.require('performance.read');
    const { db, clock } = this.deps;
    const now = clock.now();
    const to = q.to ?? shanghaiDay(now);
    const from = q.from ?? addDays(to, -29);
    if (from > to) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/query/from', code: 'order', message: '开始日期不能晚于结束日期' }] });
    if (shanghaiDayStart(to) - shanghaiDayStart(from) > MAX_DAYS * 86_400_000) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/query/from', code: 'range', message: `统计区间最长 ${MAX_DAYS} 天` }] });
    }
    const period = q.period ?? 'day';
    const node = scope.narrow(q.node);
    const viewer: WhistleViewer =
      scope.can('whistle.handle') && !scope.can('whistle.raise') ? { kind: 'department', departmentId: await departmentsRepository.departmentOfUser(db, scope.actor.userId) } : { kind: 'jurisdiction' };
    const rows = await whistlesRepository.forFigures(db, scope, viewer, node, shanghaiDayStart(from), shanghaiDayStart(addDays(to, 1)));
    const inputs = rows.map((r) => ({
      row: r,
      input: {
        createdAt: Number(r.created_at), ackDueAt: Number(r.ack_due_at), resolveDueAt: Number(r.resolve_due_at), acknowledgedAt: r.acknowledged_at === null ? null : Number(r.acknowledged_at),
        resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at), rating: r.rating as WhistleRating | null, solved: r.solved === null ? null : r.solved === 1, status: r.status as WhistleStatus,
      } satisfies RateInput,
    }));
    const group = (keyOf: (r: (typeof rows)[number]) => string, nameOf: (key: string, r: (typeof rows)[number]) => string): PerformanceRow[] => {
      const groups = new Map<string, { name: string; items: RateInput[] }>();
      for (const { row, input } of inputs) {
        const key = keyOf(row);
        const g = groups.get(key) ?? { name: nameOf(key, row), items: [] };
        g.items.push(input);
        groups.set(key, g);
      }
      return [...groups.entries()].map(([key, g]) => ({ key, name: g.name, ...computeRates(g.items, now) }));
    };
    const communityLen = WHISTLE_LEVEL_CODE_LENGTH.community;
    const communities = [...new Set(rows.map((r) => r.region_code.slice(0, communityLen)))];
    const names = new Map(
      communities.length ? (await db.selectFrom('region_nodes').select(['code', 'name']).where('code', 'in', communities).execute()).map((r) => [r.code, r.name] as const) : [],
    );
    const byDepartment = group((r) => r.department_id ?? '', (k, r) => (k ? r.department_name ?? k : FALLBACK)).sort((a, b) => b.dispatched - a.dispatched || a.name.localeCompare(b.name, 'zh-CN'));
    const byCommunity = group((r) => r.region_code.slice(0, communityLen), (k) => names.get(k) ?? k).sort((a, b) => a.key.localeCompare(b.key));
    const byPeriod = group((r) => periodKey(Number(r.created_at), period), (k) => k).sort((a, b) => a.key.localeCompare(b.key));
    return { from, to, period, nodeCode: node, total: computeRates(inputs.map((i) => i.input), now), byDepartment, byCommunity, byPeriod, formulas: RATE_FORMULAS };
  }

  /** The same figures as an .xlsx workbook (small: one row per department, community and period). */
  async workbook(scope: Scope, q: PerformanceQuery): Promise<{ fileName: string; data: Buffer }> {
    const r = await this.report(scope, q);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Gridline';
    const columns = [
      { header: '派出', key: 'dispatched', width: 8 }, { header: '按时签收', key: 'respondedInTime', width: 10 }, { header: '响应率', key: 'responseRate', width: 10 },
      { header: '已评价', key: 'rated', width: 8 }, { header: '已解决', key: 'solved', width: 8 }, { header: '解决率', key: 'resolutionRate', width: 10 },
      { header: '满意', key: 'satisfied', width: 8 }, { header: '满意率', key: 'satisfactionRate', width: 10 }, { header: '平均签收(分钟)', key: 'avgAckMinutes', width: 14 },
      { header: '平均办结(小时)', key: 'avgResolveHours', width: 14 }, { header: '当前超时', key: 'overdueNow', width: 10 }, { header: '超时签收', key: 'ackLate', width: 10 },
    ];
    const sheet = (title: string, first: string, rows: { name: string; rates: Rates }[]) => {
      const ws = wb.addWorksheet(title);
      ws.columns = [{ header: first, key: 'name', width: 24 }, ...columns];
      ws.getRow(1).font = { bold: true };
      for (const row of rows) ws.addRow({ name: row.name, ...row.rates });
      for (const key of ['responseRate', 'resolutionRate', 'satisfactionRate']) ws.getColumn(key).numFmt = '0.00%';
    };
    sheet('总体', '范围', [{ name: `${r.from} 至 ${r.to}`, rates: r.total }]);
    sheet('按部门', '部门', r.byDepartment.map((x) => ({ name: x.name, rates: x })));
    sheet('按社区', '社区', r.byCommunity.map((x) => ({ name: x.name, rates: x })));
    sheet('按时段', { day: '日', week: '周（周一）', month: '月' }[r.period], r.byPeriod.map((x) => ({ name: x.name, rates: x })));
    const notes = wb.addWorksheet('口径说明');
    notes.columns = [{ header: '口径', key: 'text', width: 100 }];
    for (const text of Object.values(r.formulas)) notes.addRow({ text });
    notes.addRow({ text: '平均签收时间：发起至签收；平均办结时间：发起至部门反馈办结。统计期按哨件发起时间（北京时间）。' });
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    return { fileName: `吹哨报到绩效_${r.from}_${r.to}.xlsx`, data };
  }
}
