import type { FieldHousehold, VisitBody } from '@gridline/shared';
import { describe, expect, it } from 'vitest';
import type { QueuedVisit } from './db';
import { withQueued } from './field-store';

const household = (id: string, over: Partial<FieldHousehold> = {}): FieldHousehold => ({
  id, code: `34010400800100100101${id.slice(-4)}`, gridCode: '340104008001001', buildingCode: '340104008001001001', buildingName: '1栋', unitCode: '34010400800100100101',
  unitName: '1单元', room: id.slice(-4), address: '梅园社区', state: 'pending', version: 0, revisitOn: null, lastVisitedAt: null, lastVisitedBy: null, members: [], ...over,
});
const queued = (householdId: string, outcome: VisitBody['outcome'], status: QueuedVisit['status'], createdAt: number, syncedAt: number | null = null): QueuedVisit => ({
  clientKey: `k-${householdId}-${createdAt}`, userId: 'u', campaignId: 'c', householdId, address: '', status, attempts: 0, error: null, visitId: null, createdAt, syncedAt,
  body: { clientKey: 'k', campaignId: 'c', householdId, baseVersion: 0, outcome, visitedAt: createdAt, results: [], ...(outcome === 'nobody_home' ? { revisitOn: '2026-11-30' } : {}) },
});

describe('the household list as the worker sees it', () => {
  it('applies visits still waiting, the latest per household, and marks them', () => {
    const out = withQueued([household('h-0101'), household('h-0102'), household('h-0103')], [
      queued('h-0101', 'nobody_home', 'pending', 1), queued('h-0101', 'visited', 'pending', 2),
      queued('h-0102', 'nobody_home', 'failed', 3),
    ], 0);
    expect(out.map((h) => [h.state, h.queued])).toEqual([['visited', 'pending'], ['nobody_home', 'failed'], ['pending', null]]);
    expect(out[1]!.revisitOn).toBe('2026-11-30');
  });

  it('keeps a visit sent after the list was requested (the list may not hold it), drops one sent before', () => {
    const hs = [household('h-0101'), household('h-0102')];
    const q = [queued('h-0101', 'visited', 'synced', 1, 50), queued('h-0102', 'visited', 'synced', 1, 150)];
    expect(withQueued(hs, q, 100).map((h) => [h.state, h.queued])).toEqual([['pending', null], ['visited', null]]);
  });

  it('never lets a knock with nobody home undo a visited household', () => {
    const out = withQueued([household('h-0101', { state: 'visited', version: 1 })], [queued('h-0101', 'nobody_home', 'pending', 1)], 0);
    expect(out[0]).toMatchObject({ state: 'visited', queued: 'pending' });
  });
});
