import { addDays } from '@gridline/shared';
import type { AppContext } from '../context.js';
import type { ResidentsTable } from '../db/schema.js';
import { shanghaiDate } from '../lib/clock.js';
import { Scope } from '../security/scope.js';
import { DEMO_STREET } from './demo-street.js';

/**
 * Daily field work on first start, through the services (so every rule and audit applies): the compound's east
 * gate as a checkpoint with its gate device; six residents of the first grid under daily health monitoring, four
 * of whom reported today (one with a fever, which raises the grid worker's follow-up task) and two who have not
 * (the "not reported" list); two arrivals reported this week under the protocol in force.
 */
export async function seedFieldDemo(ctx: AppContext, residents: ResidentsTable[], now: number): Promise<void> {
  const scope = Scope.system('demo');
  const { places, monitoring, health, arrivals } = ctx.services;
  const grid1 = `${DEMO_STREET.code}001001`;
  const today = shanghaiDate(now);

  const gate = await places.places.create(scope, {
    kind: 'gate', name: '梅园小区东门', address: '梅园小区东门岗亭', regionCode: grid1, checkpoint: true,
  });
  await places.devices.create(scope, { name: '东门测温闸机', placeId: gate.id });

  // Adults of the first grid with a phone (a worker would call them about a missing report), other than the demo
  // resident account's own household: its portal starts clean, so a first report shows what follows from it.
  const account = await ctx.db.selectFrom('users').select('household_id').where('role', '=', 'resident').executeTakeFirst();
  const pool = residents.filter((r) => r.region_code.startsWith(grid1) && r.phone_enc && r.birth_date && r.birth_date < '2006-01-01' && r.household_id !== account?.household_id);
  const monitored = pool.slice(0, 6);
  for (const [i, r] of monitored.entries()) {
    await monitoring.create(scope, { residentId: r.id, note: i < 3 ? '外地返回，居家健康监测' : '密接的同住人员，健康监测', startDate: today, endDate: addDays(today, 6) });
  }
  const readings: { temperatureC: number; symptoms: ('cough' | 'fever')[] }[] = [
    { temperatureC: 36.5, symptoms: [] }, { temperatureC: 36.8, symptoms: [] }, { temperatureC: 38.2, symptoms: ['fever', 'cough'] }, { temperatureC: 36.4, symptoms: [] },
  ];
  for (const [i, r] of monitored.slice(0, readings.length).entries()) await health.report(scope, { residentId: r.id, ...readings[i]! });

  const travellers = pool.slice(6, 8);
  const origins = ['广州市天河区', '成都市武侯区'];
  for (const [i, r] of travellers.entries()) {
    await arrivals.create(scope, { residentId: r.id, originName: origins[i]!, originRisk: 'low', arrivalDate: addDays(today, -i), transport: i ? 'flight' : 'train', transportNo: i ? 'CA4101' : 'G80' });
  }
}
