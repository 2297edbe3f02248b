import { addDays, shanghaiDay, shanghaiDayStart } from '@gridline/shared';
import type { AppContext } from '../context.js';
import type { ResidentsTable } from '../db/schema.js';
import { scanRow } from '../modules/places/scans.service.js';
import { phoneHash } from '../modules/residents/personal-fields.js';
import { Scope } from '../security/scope.js';
import { DEMO_STREET } from './demo-street.js';

const MIN = 60_000;

/**
 * Contact tracing on first start (runs after the cases demo): three places in the first grid and a week of scans
 * around the open confirmed and asymptomatic cases — the case's own visits, neighbours who overlapped with them
 * (and some who just missed), and background visits — then a trace of each case, so that 流调 shows real
 * co-location proposals with their evidence; for the first case the household and three co-located people are
 * confirmed (follow-up tasks raised, the 24-hour clock running), the rest left to review.
 */
export async function seedTracingDemo(ctx: AppContext, residents: readonly ResidentsTable[], now: number): Promise<void> {
  const scope = Scope.system('街道流调组');
  const { places, cases, tracing } = ctx.services;
  const grid1 = `${DEMO_STREET.code}001001`;
  const open = (await cases.list(scope, { status: 'open', pageSize: 50 })).items.filter((c) => c.classification !== 'suspected' && c.confirmedAt !== null);
  if (!open.length || residents.length < 50) return;
  let seed = 20261129;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const made = [];
  for (const [kind, name, address] of [['market', '梅园农贸市场', '梅园路12号'], ['shop', '惠民超市（梅园店）', '梅园路30号'], ['pharmacy', '仁心大药房', '梅园路45号']] as const) {
    made.push(await places.places.create(scope, { kind, name, address, regionCode: grid1 }));
  }
  const placeRows = made.map((p) => ({ id: p.id, region_code: p.regionCode }));
  const pool = residents.filter((r) => r.region_code.startsWith(DEMO_STREET.code));
  const rows: ReturnType<typeof scanRow>[] = [];
  for (const c of open) {
    let person: { kind: 'resident' | 'visitor'; id: string } | null = c.residentId ? { kind: 'resident', id: c.residentId } : null;
    if (!person) {
      // The migrant worker scanned the market's code as a visitor (name and phone).
      const phone = '13800138021';
      await places.scans.checkInVisitor(made[0]!.code, { name: c.personName, phone });
      const v = await ctx.db.selectFrom('visitors').select('id').where('phone_hash', '=', phoneHash(ctx.cipher, phone)).executeTakeFirst();
      if (v) person = { kind: 'visitor', id: v.id };
    }
    if (!person) continue;
    const anchor = c.onsetDate ?? c.samplingDate ?? shanghaiDay(now);
    // Visits from five days before the anchor to yesterday: a morning market trip and an evening shop or pharmacy visit.
    for (let d = addDays(anchor, -5); d < shanghaiDay(now); d = addDays(d, 1)) {
      for (const [place, hour] of [[placeRows[0]!, 8 + Math.floor(rand() * 3)], [placeRows[1 + Math.floor(rand() * 2)]!, 17 + Math.floor(rand() * 3)]] as const) {
        const at = shanghaiDayStart(d) + hour * 3_600_000 + Math.floor(rand() * 50) * MIN;
        if (at >= now) continue;
        rows.push(scanRow(place, person, at, person.kind === 'resident' ? 'self' : 'visitor'));
        // Neighbours around the visit: from 40 minutes before to 40 after (a stay overlaps by ≥ 10 min within ±20).
        const n = 2 + Math.floor(rand() * 3);
        for (let i = 0; i < n; i++) rows.push(scanRow(place, { kind: 'resident', id: pick(pool).id }, at + (Math.floor(rand() * 81) - 40) * MIN, 'self'));
      }
    }
  }
  // Background: the rest of the street shopping over the same week.
  for (let i = 0; i < 600; i++) {
    const at = now - Math.floor(rand() * 7 * 86_400_000);
    rows.push(scanRow(pick(placeRows), { kind: 'resident', id: pick(pool).id }, at, 'self'));
  }
  for (let i = 0; i < rows.length; i += 500) await ctx.db.insertInto('scans').values(rows.slice(i, i + 500)).execute();

  for (const c of open) await tracing.tracing.trace(scope, c.id);
  // The newest confirmed case: household and three co-located contacts confirmed, their follow-up raised.
  const first = open.find((c) => c.residentId && c.classification === 'confirmed');
  if (!first) return;
  const view = await tracing.tracing.caseTracing(scope, first.id);
  const household = view.contacts.filter((k) => k.source === 'household').map((k) => k.id);
  const colocated = view.contacts.filter((k) => k.source === 'colocation').slice(0, 3).map((k) => k.id);
  if (household.length + colocated.length) await tracing.tracing.bulk(scope, { ids: [...household, ...colocated], action: 'confirm' });
  if (household.length) await tracing.tracing.bulk(scope, { ids: household, action: 'notify' });
}
