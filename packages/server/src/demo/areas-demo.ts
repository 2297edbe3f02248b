import { CODE_LENGTH } from '@gridline/shared';
import type { AppContext } from '../context.js';
import type { ResidentsTable } from '../db/schema.js';
import { shanghaiDate } from '../lib/clock.js';
import { Scope } from '../security/scope.js';
import { DEMO_STREET } from './demo-street.js';

const DAY = 86_400_000;

/**
 * Two area controls in force on first start (runs after the cases demo), so that 区域管控 shows both states of the
 * lifting rule: one whose rule is met today — a unit around an asymptomatic infection found N days ago (N = the
 * version's lifting days), drawn the next day (the unit has no boundary: the map draws its building) — and one
 * drawn today around the building of a recent infection, still days short. The demo resident's building is left out. Both drawn by the street command
 * within the protocol in force, so they are proportionate and in force at once.
 */
export async function seedAreasDemo(ctx: AppContext, residents: readonly ResidentsTable[], now: number): Promise<void> {
  const scope = Scope.system('街道指挥部');
  const { cases, measures } = ctx.services;
  const rule = (await ctx.protocol.inForce(now)).riskAreas.levels.find((l) => l.liftAfterDays !== null && !l.liftNeedsNegativeRound);
  const n = rule?.liftAfterDays;
  if (!rule || !n) return;
  const day = (k: number) => shanghaiDate(now + k * DAY);
  const building = (code: string) => code.slice(0, CODE_LENGTH.building);
  // The demo resident's own building stays free of controls: other demos pass that resident through checkpoints.
  const account = await ctx.db.selectFrom('users').select('resident_id').where('username', '=', 'resident').executeTakeFirst();
  const home = residents.find((r) => r.id === account?.resident_id)?.region_code;
  const spared = (code: string) => home !== undefined && building(home) === building(code);
  const open = (await cases.list(scope, { status: 'open', pageSize: 50 })).items;
  const recent = open.find((c) => c.classification !== 'suspected' && c.residentId && c.regionCode.length === CODE_LENGTH.household && !spared(c.regionCode));
  if (!recent) return;
  const busy = new Set(open.map((c) => building(c.regionCode)));
  // A head of household in the community's second grid, in a building without another case.
  const grid2 = `${DEMO_STREET.code}001002`;
  const e = residents.find((r) => r.relation_to_head === 'head' && r.region_code.startsWith(grid2) && !busy.has(building(r.region_code)) && !spared(r.region_code));
  if (!e) return;
  await cases.create(scope, {
    classification: 'asymptomatic', residentId: e.id, samplingDate: day(-n), confirmedAt: now - n * DAY, reportSource: '核酸筛查', note: '单元核酸筛查中发现',
  });
  await measures.createArea(scope, { level: rule.level, scopeCode: e.region_code.slice(0, CODE_LENGTH.unit), firstDay: day(-(n - 1)), plannedDays: n });
  await measures.createArea(scope, { level: rule.level, scopeCode: building(recent.regionCode), firstDay: day(0), plannedDays: n });
}
