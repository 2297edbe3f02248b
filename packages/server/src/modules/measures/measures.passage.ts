import { MEASURE_KIND_LABELS, MEDICAL_EXEMPTION_CATEGORIES, RISK_AREA_LEVEL_LABELS, untilZh, type MeasureKind, type RiskAreaLevel } from '@gridline/shared';
import type { PassageCheck, PassageChecks } from '../checkpoints/passage-checks.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { measuresRepository } from './measures.repository.js';

/**
 * 'measure_in_force': deny while an isolation of the person, or an area control over their home, is in force at
 * `at` — from its start up to, not including, its end (planned or released): at the end time it no longer counts,
 * without any job having to run. Pending and refused measures never count.
 */
export const measureInForceCheck: PassageCheck = {
  name: 'measure_in_force',
  async check(ctx) {
    const resident = await residentsRepository.byId(ctx.db, ctx.residentId);
    if (!resident) return [];
    const rows = await measuresRepository.inForceFor(ctx.db, resident.id, resident.region_code, ctx.at);
    return rows.map((m) => {
      const end = Number(m.ended_at ?? m.planned_end_at);
      const what = m.kind === 'area_control' ? `位于${RISK_AREA_LEVEL_LABELS[m.area_level as RiskAreaLevel].zh}` : `${MEASURE_KIND_LABELS[m.kind as MeasureKind].zh}中`;
      // A person's own isolation yields only to an urgent medical need (dialysis, birth…); an area control to any exemption.
      const overridableBy = m.kind === 'area_control' ? undefined : MEDICAL_EXEMPTION_CATEGORIES;
      return { effect: 'deny' as const, code: 'measure_in_force', reason: `${what}，至${untilZh(end)}`, until: end, ...(overridableBy ? { overridableBy } : {}) };
    });
  },
};

export function registerMeasurePassageChecks(checks: PassageChecks): void {
  checks.register(measureInForceCheck);
}
