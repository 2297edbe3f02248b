import { shanghaiDayStart } from '@gridline/shared';
import type { AppContext } from '../context.js';
import type { ResidentsTable } from '../db/schema.js';
import { shanghaiDate } from '../lib/clock.js';
import { Scope } from '../security/scope.js';
import { DEMO_STREET } from './demo-street.js';

const DAY = 86_400_000;

/**
 * A handful of cases in the demo street, so that 病例管理 shows something on first start: two confirmed today (a
 * resident of the demo grid worker's grid and a migrant worker who is not in the register), one suspected, one
 * asymptomatic and one closed (recovered). Made through the cases service (numbered, audited, with their
 * timelines), by the street's tracing team.
 */
export async function seedCasesDemo(ctx: AppContext, residents: readonly ResidentsTable[], now: number): Promise<void> {
  const scope = Scope.system('街道流调组');
  const cases = ctx.services.cases;
  const grid1 = `${DEMO_STREET.code}001001`;
  const grid2 = `${DEMO_STREET.code}001002`;
  // Adults from different households: the first head of household of each of a few buildings in the first grids.
  const heads = residents.filter((r) => r.relation_to_head === 'head' && (r.region_code.startsWith(grid1) || r.region_code.startsWith(grid2)));
  const seen = new Set<string>();
  const picked = heads.filter((r) => {
    const building = r.region_code.slice(0, 18);
    if (seen.has(building)) return false;
    seen.add(building);
    return true;
  });
  const [a, b, c, d] = [picked[0] ?? heads[0], picked[1] ?? heads[1], picked[2] ?? heads[2], picked[3] ?? heads[3]];
  if (!a || !b || !c || !d) return;
  const day = (n: number) => shanghaiDate(now + n * DAY);
  // Confirmed earlier today (never before today's midnight, whenever the demo is seeded).
  const today = (hoursAgo: number) => Math.max(shanghaiDayStart(day(0)), now - hoursAgo * 3_600_000);

  // Closed first, so the open ones are the newest.
  const old = await cases.create(scope, { classification: 'suspected', residentId: d.id, onsetDate: day(-12), samplingDate: day(-12), reportSource: '主动就诊', note: '发热就诊，已转定点医院' });
  const confirmedOld = await cases.reclassify(scope, old.id, { version: old.version, classification: 'confirmed', confirmedAt: now - 11 * DAY, reason: '核酸复核阳性' });
  await cases.close(scope, old.id, { version: confirmedOld.version, outcome: 'recovered', reason: '连续两次核酸阴性，治愈出院' });

  await cases.create(scope, { classification: 'asymptomatic', residentId: c.id, samplingDate: day(-1), confirmedAt: shanghaiDayStart(day(0)) - 4 * 3_600_000, reportSource: '核酸筛查', note: '区域核酸筛查中发现，昨晚结果阳性' });
  await cases.create(scope, { classification: 'suspected', residentId: b.id, onsetDate: day(0), reportSource: '抗原自测', note: '抗原阳性，待核酸复核' });
  await cases.create(scope, { classification: 'confirmed', residentId: a.id, onsetDate: day(-1), samplingDate: day(0), confirmedAt: today(3), reportSource: '医院报告', note: '发热门诊就诊，核酸阳性' });
  await cases.create(scope, {
    classification: 'confirmed', person: { name: '刘建军', phone: '13800138021', regionCode: grid1, address: `${DEMO_STREET.name}梅园社区 在建工地临时宿舍` },
    onsetDate: day(-2), samplingDate: day(-1), confirmedAt: today(1), reportSource: '核酸筛查', note: '外来务工人员，未在本街道登记',
  });
}
