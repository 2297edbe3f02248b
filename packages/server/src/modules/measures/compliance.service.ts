import { CODE_LENGTH, type Compliance, type ComplianceRow } from '@gridline/shared';
import { sql } from 'kysely';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Scope } from '../../security/scope.js';

const COMMUNITY = CODE_LENGTH.community;
const STREET = CODE_LENGTH.street;
const n = (x: unknown) => Number(x ?? 0);
const SUMMED = ['withoutLegalBasis', 'inForce', 'pending', 'overrides', 'refused', 'overdueReleases', 'appeals', 'appealsRevoked', 'appealsOverdue', 'complaints', 'undeliveredNotices', 'decideMs', 'decided'] as const;

type Summed = ComplianceRow & { decideMs: number; decided: number };
const blank = (code: string, name: string): Summed => ({
  code, name, withoutLegalBasis: 0, inForce: 0, pending: 0, overrides: 0, refused: 0, overdueReleases: 0,
  appeals: 0, appealsRevoked: 0, appealsOverdue: 0, appealHours: null, complaints: 0, undeliveredNotices: 0, decideMs: 0, decided: 0,
});

/**
 * The auditor's compliance view (issue #7), per community and per street under the caller's node: measures without legal basis
 * (must be zero), overrides of the proportionality guard, refusals, releases overdue, appeal outcomes and times,
 * complaints. Aggregated in SQL (one pass over each table under the node).
 */
export class ComplianceService {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  async figures(scope: Scope): Promise<Compliance> {
    scope.require('measure.read');
    const { db, clock } = this.deps;
    const now = clock.now();
    const community = sql<string>`substr(region_code, 1, ${sql.lit(COMMUNITY)})`;
    const when = (cond: ReturnType<typeof sql>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;
    const [measures, appeals, names, undelivered, streetNames] = await Promise.all([
      db
        .selectFrom('measures')
        .select([
          community.as('code'),
          when(sql`status in ('active','ended') and legal_basis in ('[]', '')`).as('without_basis'),
          when(sql`status = 'active' and start_at <= ${now} and planned_end_at > ${now}`).as('in_force'),
          when(sql`status = 'pending'`).as('pending'),
          when(sql`status in ('active','ended') and proportionate = 0`).as('overrides'),
          when(sql`status = 'refused'`).as('refused'),
          when(sql`status = 'active' and planned_end_at <= ${now}`).as('overdue'),
        ])
        .where(scope.where('region_code'))
        .groupBy(community)
        .execute(),
      db
        .selectFrom('appeals')
        .select([
          community.as('code'),
          when(sql`kind = 'appeal'`).as('appeals'),
          when(sql`kind = 'appeal' and outcome = 'revoked'`).as('revoked'),
          when(sql`status = 'open' and due_at < ${now}`).as('overdue'),
          sql<number>`sum(case when kind = 'appeal' and decided_at is not null then decided_at - filed_at else 0 end)`.as('decide_ms'),
          when(sql`kind = 'appeal' and decided_at is not null`).as('decided'),
          when(sql`kind = 'complaint'`).as('complaints'),
        ])
        .where(scope.where('region_code'))
        .groupBy(community)
        .execute(),
      db.selectFrom('region_nodes').select(['code', 'name']).where('level', '=', 'community').where(scope.where('code')).execute(),
      // Person measures that took effect and whose notice has no delivery record yet (issue #7).
      db
        .selectFrom('measures as m')
        .select([sql<string>`substr(m.region_code, 1, ${sql.lit(COMMUNITY)})`.as('code'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('m.kind', '!=', 'area_control')
        .where('m.status', 'in', ['active', 'ended'])
        .where((eb) => eb.not(eb.exists(eb.selectFrom('measure_deliveries as d').select('d.id').whereRef('d.measure_id', '=', 'm.id').where('d.document', '=', 'notice'))))
        .where(scope.where('m.region_code'))
        .groupBy(sql`substr(m.region_code, 1, ${sql.lit(COMMUNITY)})`)
        .execute(),
      // The streets the communities belong to (the caller's own street, or a district's streets).
      db.selectFrom('region_nodes').select(['code', 'name']).where('level', '=', 'street').where((eb) => eb.or([scope.where('code'), eb('code', '=', scope.node.slice(0, STREET))])).execute(),
    ]);
    const rows = new Map<string, Summed>();
    const row = (code: string) => {
      let r = rows.get(code);
      if (!r) {
        r = blank(code, names.find((x) => x.code === code)?.name ?? code);
        rows.set(code, r);
      }
      return r;
    };
    for (const m of measures) Object.assign(row(m.code), { withoutLegalBasis: n(m.without_basis), inForce: n(m.in_force), pending: n(m.pending), overrides: n(m.overrides), refused: n(m.refused), overdueReleases: n(m.overdue) });
    for (const u of undelivered) row(u.code).undeliveredNotices = n(u.n);
    for (const a of appeals) Object.assign(row(a.code), { appeals: n(a.appeals), appealsRevoked: n(a.revoked), appealsOverdue: n(a.overdue), complaints: n(a.complaints), decideMs: n(a.decide_ms), decided: n(a.decided) });
    const list = [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
    const total = row('');
    rows.delete('');
    for (const r of list) {
      for (const k of SUMMED) total[k] += r[k];
    }
    const hours = (r: { decideMs: number; decided: number }) => (r.decided ? Math.round((r.decideMs / r.decided / 3_600_000) * 10) / 10 : null);
    const shown = ({ decideMs: _m, decided: _d, ...r }: ComplianceRow & { decideMs: number; decided: number }): ComplianceRow => ({ ...r, appealHours: hours({ decideMs: _m, decided: _d }) });
    // Per street: the sums of its communities' figures (so a street row always equals the rows beneath it).
    const streets = new Map<string, Summed>();
    for (const r of list) {
      const code = r.code.slice(0, STREET);
      let s = streets.get(code);
      if (!s) {
        s = blank(code, streetNames.find((x) => x.code === code)?.name ?? code);
        streets.set(code, s);
      }
      for (const k of SUMMED) s[k] += r[k];
    }
    return { rows: list.map(shown), streets: [...streets.values()].map(shown), total: { ...shown(total), name: '合计' }, at: now };
  }
}
