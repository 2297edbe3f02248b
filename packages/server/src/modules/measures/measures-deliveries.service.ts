import { MEASURE_KIND_LABELS, type DeliveryChannel, type DeliveryDocument, type MeasureDelivery, type MeasureKind, type MeasuresViewedBody, type RecordDeliveriesBody, type RecordDeliveriesResult } from '@gridline/shared';
import type { Db, Executor, MeasureDeliveriesTable, MeasuresTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { measuresRepository } from './measures.repository.js';
import { lifecycleRepository } from './measures-lifecycle.repository.js';

/** A delivery time may be given a few minutes ahead of the server's clock (a phone's clock), never later. */
const SKEW_MS = 5 * 60_000;

export function toDelivery(r: MeasureDeliveriesTable): MeasureDelivery {
  return {
    id: r.id, measureId: r.measure_id, document: r.document as DeliveryDocument, channel: r.channel as DeliveryChannel, deliveredAt: Number(r.delivered_at),
    recordedBy: r.recorded_by_name, note: r.note, createdAt: Number(r.created_at),
  };
}

/** Which documents a measure has: the notice once it took effect, the release certificate once a person released it. */
function documentsOf(m: MeasuresTable): DeliveryDocument[] {
  if (m.kind === 'area_control' || !m.resident_id) return [];
  if (m.status === 'ended') return ['notice', 'release'];
  return m.status === 'active' ? ['notice'] : [];
}

/**
 * How each notice or release certificate reached the person (issue #7): staff record 当面送达签收, 张贴 or 短信/电话告知
 * for many measures at once; the portal records 门户查看 itself the first time the person opens the document. A
 * document reaches a person by a channel once: recording it again changes nothing. Audited per measure.
 */
export class MeasureDeliveries {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService }) {}

  async list(scope: Scope, measureId: string): Promise<MeasureDelivery[]> {
    scope.require('measure.read');
    const m = await measuresRepository.byId(this.deps.db, measureId);
    if (!m) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(m.region_code);
    return (await lifecycleRepository.deliveriesOf(this.deps.db, measureId)).map(toDelivery);
  }

  /** Staff record one channel for one document of many measures, in one transaction (one act: "I posted these"). */
  async record(scope: Scope, body: RecordDeliveriesBody): Promise<RecordDeliveriesResult> {
    scope.require('measure.write');
    const now = this.deps.clock.now();
    const deliveredAt = body.deliveredAt ?? now;
    if (deliveredAt > now + SKEW_MS) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/deliveredAt', code: 'range', message: '送达时间不能晚于现在' }] });
    const ids = [...new Set(body.measureIds)];
    const found = await lifecycleRepository.measuresByIds(this.deps.db, scope, ids);
    if (found.length !== ids.length) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/measureIds', code: 'missing', message: '部分措施不存在或不在您的管辖范围内' }] });
    const without = found.filter((m) => !documentsOf(m).includes(body.document));
    if (without.length) {
      // Whose: a worker ticking thirty rows needs to know which to untick.
      const whose = without.slice(0, 5).map((m) => m.resident_name ?? m.place_name ?? MEASURE_KIND_LABELS[m.kind as MeasureKind]?.zh ?? m.kind).join('、') + (without.length > 5 ? ` 等 ${without.length} 项` : '');
      const message = body.document === 'release' ? `${whose}的措施尚未解除，没有解除证明可送达` : `${whose}：不是已生效的人员措施，没有告知书`;
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/measureIds', code: 'document', message }] });
    }
    const recorded = await this.deps.db.transaction().execute(async (tx) => {
      let n = 0;
      for (const m of found) if (await this.insert(tx, scope, m, body.document, body.channel, deliveredAt, body.note?.trim() ?? '')) n++;
      return n;
    });
    return { recorded, already: found.length - recorded };
  }

  /** The person opened their measures in the portal: the first view of each document is its delivery. */
  async viewedMine(scope: Scope, body: MeasuresViewedBody): Promise<RecordDeliveriesResult> {
    scope.require('self.read');
    const residentId = scope.actor.residentId;
    if (!residentId) return { recorded: 0, already: 0 };
    const rows = await this.deps.db.selectFrom('measures').selectAll().where('id', 'in', [...new Set(body.measureIds)]).where('resident_id', '=', residentId).execute();
    const now = this.deps.clock.now();
    let seen = 0;
    const recorded = await this.deps.db.transaction().execute(async (tx) => {
      let n = 0;
      for (const m of rows) {
        for (const doc of documentsOf(m)) {
          seen++;
          if (await this.insert(tx, scope, m, doc, 'portal', now, '')) n++;
        }
      }
      return n;
    });
    return { recorded, already: seen - recorded };
  }

  private async insert(tx: Executor, scope: Scope, m: MeasuresTable, document: DeliveryDocument, channel: DeliveryChannel, at: number, note: string): Promise<boolean> {
    const row: MeasureDeliveriesTable = {
      id: newId(), measure_id: m.id, document, channel, region_code: m.region_code, delivered_at: at, recorded_by: scope.actor.userId,
      recorded_by_name: scope.actor.displayName || scope.actor.username, note, created_at: this.deps.clock.now(),
    };
    if (!(await lifecycleRepository.insertDelivery(tx, row))) return false;
    await this.deps.audit.record(tx, scope, {
      action: 'measure.delivery', entityType: 'measure', entityId: m.id, regionCode: m.region_code, diff: { document: [null, document], channel: [null, channel], deliveredAt: [null, at] },
    });
    return true;
  }
}
