import type { Place } from '@gridline/shared';
import { expect } from 'vitest';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, refMissing, sys, type Fixture, type Probe, type RouteCase } from './fixture.js';

/** A checkpoint place on side A (building A: every side-A staff role covers it) or side B, made once per fixture. */
async function place(f: Fixture, side: 'A' | 'B'): Promise<{ id: string; code: string }> {
  const key = `place${side}`;
  if (!f.stash.has(key)) {
    const p: Place = await f.t.ctx.services.places.places.create(sys, {
      kind: 'gate', name: side === 'A' ? '甲方卡口' : '乙方卡口', regionCode: side === 'A' ? CODES.buildingA : CODES.buildingB, checkpoint: true,
      passageRules: { requireTemperature: false, feverDenies: true, residentsOnly: false },
    });
    f.stash.set(key, p.id);
    f.stash.set(`${key}Code`, p.code);
  }
  return { id: f.stash.get(key)!, code: f.stash.get(`${key}Code`)! };
}

/** A device at a side's place, made once per fixture; its token kept for ingestion. */
async function device(f: Fixture, side: 'A' | 'B'): Promise<{ id: string; token: string }> {
  const key = `device${side}`;
  if (!f.stash.has(key)) {
    const d = await f.t.ctx.services.places.devices.create(sys, { name: side === 'A' ? '甲方闸机' : '乙方闸机', placeId: (await place(f, side)).id });
    f.stash.set(key, d.device.id);
    f.stash.set(`${key}Token`, d.token);
  }
  return { id: f.stash.get(key)!, token: f.stash.get(`${key}Token`)! };
}

/** A fresh, unrevoked exemption of a side's first resident. */
async function exemption(f: Fixture, side: 'A' | 'B'): Promise<string> {
  const now = f.t.clock.now();
  const residentId = (side === 'A' ? f.t.world.residentsA : f.t.world.residentsB)[0]!.resident.id;
  return (await f.t.ctx.services.places.exemptions.create(sys, { residentId, category: 'supply_worker', reason: '保供物资配送', validFrom: now, validUntil: now + 3_600_000 })).id;
}

const noneOf = (ids: string[]) => (body: unknown) => expect(items(body).map((x) => x.id).filter((id) => ids.includes(id))).toEqual([]);
const arrayNoneOf = (ids: string[]) => (body: unknown) => expect((body as { id: string }[]).map((x) => x.id).filter((id) => ids.includes(id))).toEqual([]);

/** Matrix rows for places, place codes and scans, personal codes and checkpoints, devices (issue #5): one per route, aimed at the caller's own jurisdiction and the other one. */
export const PLACES_CASES: RouteCase[] = [
  // ---- places (place.read / place.write) ----
  {
    method: 'GET', route: '/api/places', access: 'place.read',
    own: async (f) => {
      await place(f, 'A');
      return { method: 'GET', url: '/api/places?pageSize=200' };
    },
    ownCheck: async (body, f) => expect(items(body).map((p) => p.id)).toContain((await place(f, 'A')).id),
    other: async (f) => {
      const b = await place(f, 'B');
      return [
        { label: 'whole list', probe: { method: 'GET', url: '/api/places?pageSize=200' }, expect: { list: noneOf([b.id]) } },
        { label: 'side-B node', probe: { method: 'GET', url: `/api/places?node=${CODES.communityB}` }, expect: outOfScope },
      ];
    },
  },
  {
    method: 'POST', route: '/api/places', access: 'place.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/places', payload: { kind: 'shop', name: `便民超市${f.next()}`, regionCode: CODES.gridA } }),
    other: async () => [{ label: 'placed on side B', probe: { method: 'POST', url: '/api/places', payload: { kind: 'shop', name: '越界商铺', regionCode: CODES.gridB } }, expect: outOfScope }],
  },
  {
    method: 'GET', route: '/api/places/:id', access: 'place.read',
    own: async (f) => ({ method: 'GET', url: `/api/places/${(await place(f, 'A')).id}` }),
    other: async (f) => [
      { label: 'side-B place', probe: { method: 'GET', url: `/api/places/${(await place(f, 'B')).id}` }, expect: notFound({ method: 'GET', url: `/api/places/${missingId()}` }) },
    ],
  },
  {
    method: 'PATCH', route: '/api/places/:id', access: 'place.write',
    own: async (f) => {
      const p = await f.t.ctx.services.places.places.get(sys, (await place(f, 'A')).id);
      return { method: 'PATCH', url: `/api/places/${p.id}`, payload: { version: p.version, address: `幸福路 ${f.next()} 号` } };
    },
    other: async (f) => {
      const b = await f.t.ctx.services.places.places.get(sys, (await place(f, 'B')).id);
      const a = await f.t.ctx.services.places.places.get(sys, (await place(f, 'A')).id);
      const twin: Probe = { method: 'PATCH', url: `/api/places/${missingId()}`, payload: { version: b.version, name: '越界' } };
      return [
        { label: 'side-B place', probe: { method: 'PATCH', url: `/api/places/${b.id}`, payload: { version: b.version, name: '越界' } }, expect: notFound(twin) },
        { label: 'move own place to side B', probe: { method: 'PATCH', url: `/api/places/${a.id}`, payload: { version: a.version, regionCode: CODES.buildingB } }, expect: outOfScope },
      ];
    },
  },
  {
    method: 'GET', route: '/api/places/:id/poster', access: 'place.read',
    own: async (f) => ({ method: 'GET', url: `/api/places/${(await place(f, 'A')).id}/poster?format=png` }),
    other: async (f) => [
      { label: 'side-B poster', probe: { method: 'GET', url: `/api/places/${(await place(f, 'B')).id}/poster?format=png` }, expect: notFound({ method: 'GET', url: `/api/places/${missingId()}/poster?format=png` }) },
    ],
  },
  {
    method: 'GET', route: '/api/places/:id/scans', access: 'place.read',
    own: async (f) => ({ method: 'GET', url: `/api/places/${(await place(f, 'A')).id}/scans` }),
    other: async (f) => [
      { label: 'side-B place’s scans', probe: { method: 'GET', url: `/api/places/${(await place(f, 'B')).id}/scans` }, expect: notFound({ method: 'GET', url: `/api/places/${missingId()}/scans` }) },
    ],
  },
  {
    // Public: the page a poster's QR opens. Any place's code is scannable by anyone (that is what a poster is for).
    method: 'GET', route: '/api/place-codes/:code', access: 'public',
    own: async (f) => ({ method: 'GET', url: `/api/place-codes/${(await place(f, 'A')).code}` }),
    ownCheck: (body) => expect(body).toMatchObject({ name: '甲方卡口', kind: 'gate' }),
  },
  {
    // A resident may record themself at any place, in or out of their own area.
    method: 'POST', route: '/api/place-codes/:code/check-in', access: 'self.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: `/api/place-codes/${(await place(f, 'A')).code}/check-in` }),
    ownCheck: (body) => expect(body).toMatchObject({ placeName: '甲方卡口', personMasked: '张*' }),
  },
  {
    method: 'POST', route: '/api/place-codes/:code/visit', access: 'public', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: `/api/place-codes/${(await place(f, 'A')).code}/visit`, payload: { name: '来访人员', phone: '13700137000' } }),
    ownCheck: (body) => expect(body).toMatchObject({ placeName: '甲方卡口', personMasked: '来***' }),
  },
  {
    method: 'POST', route: '/api/me/personal-code', access: 'self.read',
    own: async () => ({ method: 'POST', url: '/api/me/personal-code' }),
    ownCheck: (body) => expect(body).toMatchObject({ residentMasked: '张*', code: expect.stringMatching(/^GL1\./) as unknown }),
  },

  // ---- checkpoints (checkpoint.operate) and exemptions (place.write) ----
  {
    method: 'GET', route: '/api/checkpoints', access: 'checkpoint.operate',
    own: async (f) => {
      await place(f, 'B');
      return { method: 'GET', url: '/api/checkpoints' };
    },
    ownCheck: async (body, f) => {
      const ids = (body as { id: string }[]).map((c) => c.id);
      expect(ids).toContain((await place(f, 'A')).id);
      expect(ids).not.toContain((await place(f, 'B')).id);
    },
  },
  {
    method: 'POST', route: '/api/checkpoints/:id/decisions', access: 'checkpoint.operate',
    own: async (f) => ({ method: 'POST', url: `/api/checkpoints/${(await place(f, 'A')).id}/decisions`, payload: { code: f.t.ctx.services.places.personalCodes.issue(f.t.world.residentsA[1]!.resident.id).code, temperature: 36.5 } }),
    ownCheck: (body) => expect(body).toMatchObject({ result: 'pass', personMasked: '李*' }),
    other: async (f) => {
      const code = () => f.t.ctx.services.places.personalCodes.issue(f.t.world.residentsA[1]!.resident.id).code;
      return [
        {
          label: 'side-B checkpoint',
          probe: { method: 'POST', url: `/api/checkpoints/${(await place(f, 'B')).id}/decisions`, payload: { code: code(), temperature: 36.5 } },
          expect: notFound({ method: 'POST', url: `/api/checkpoints/${missingId()}/decisions`, payload: { code: code(), temperature: 36.5 } }),
        },
      ];
    },
  },
  {
    method: 'GET', route: '/api/checkpoints/:id/decisions', access: 'checkpoint.operate',
    own: async (f) => ({ method: 'GET', url: `/api/checkpoints/${(await place(f, 'A')).id}/decisions` }),
    other: async (f) => [
      { label: 'side-B checkpoint', probe: { method: 'GET', url: `/api/checkpoints/${(await place(f, 'B')).id}/decisions` }, expect: notFound({ method: 'GET', url: `/api/checkpoints/${missingId()}/decisions` }) },
    ],
  },
  {
    method: 'GET', route: '/api/exemptions', access: 'place.write',
    own: async (f) => {
      f.stash.set('exemptionA', await exemption(f, 'A'));
      return { method: 'GET', url: '/api/exemptions?pageSize=200' };
    },
    ownCheck: (body, f) => expect(items(body).map((e) => e.id)).toContain(f.stash.get('exemptionA')),
    other: async (f) => {
      const b = await exemption(f, 'B');
      return [
        { label: 'whole list', probe: { method: 'GET', url: '/api/exemptions?pageSize=200' }, expect: { list: noneOf([b]) } },
        { label: 'side-B node', probe: { method: 'GET', url: `/api/exemptions?node=${CODES.communityB}` }, expect: outOfScope },
      ];
    },
  },
  {
    method: 'POST', route: '/api/exemptions', access: 'place.write', okStatus: 201,
    own: async (f) => {
      const now = f.t.clock.now();
      return { method: 'POST', url: '/api/exemptions', payload: { residentId: f.t.world.residentsA[2]!.resident.id, category: 'emergency_medical', reason: '透析就医', validFrom: now, validUntil: now + 3_600_000 } };
    },
    other: async (f) => {
      const now = f.t.clock.now();
      const body = (residentId: string): Probe => ({ method: 'POST', url: '/api/exemptions', payload: { residentId, category: 'emergency_medical', reason: '越界', validFrom: now, validUntil: now + 3_600_000 } });
      return [{ label: 'a side-B resident', probe: body(f.t.world.residentsB[0]!.resident.id), expect: refMissing(body(missingId())) }];
    },
  },
  {
    method: 'POST', route: '/api/exemptions/:id/revoke', access: 'place.write',
    own: async (f) => ({ method: 'POST', url: `/api/exemptions/${await exemption(f, 'A')}/revoke`, payload: { reason: '任务结束' } }),
    other: async (f) => [
      {
        label: 'side-B exemption',
        probe: { method: 'POST', url: `/api/exemptions/${await exemption(f, 'B')}/revoke`, payload: { reason: '越界' } },
        expect: notFound({ method: 'POST', url: `/api/exemptions/${missingId()}/revoke`, payload: { reason: '越界' } }),
      },
    ],
  },

  // ---- devices (device.manage) and ingestion (public: the device's bearer token) ----
  {
    method: 'GET', route: '/api/devices', access: 'device.manage',
    own: async (f) => {
      await device(f, 'A');
      return { method: 'GET', url: '/api/devices' };
    },
    ownCheck: async (body, f) => expect((body as { id: string }[]).map((d) => d.id)).toContain((await device(f, 'A')).id),
    other: async (f) => [{ label: 'whole list', probe: { method: 'GET', url: '/api/devices' }, expect: { list: arrayNoneOf([(await device(f, 'B')).id]) } }],
  },
  {
    method: 'GET', route: '/api/devices/places', access: 'device.manage',
    own: async () => ({ method: 'GET', url: '/api/devices/places' }),
    ownCheck: async (body, f) => expect((body as { id: string }[]).map((p) => p.id)).toContain((await place(f, 'A')).id),
    other: async (f) => [{ label: 'whole list', probe: { method: 'GET', url: '/api/devices/places' }, expect: { list: arrayNoneOf([(await place(f, 'B')).id]) } }],
  },
  {
    method: 'POST', route: '/api/devices', access: 'device.manage', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/devices', payload: { name: `闸机${f.next()}`, placeId: (await place(f, 'A')).id } }),
    other: async (f) => [
      {
        label: 'bound to a side-B place',
        probe: { method: 'POST', url: '/api/devices', payload: { name: '越界闸机', placeId: (await place(f, 'B')).id } },
        expect: refMissing({ method: 'POST', url: '/api/devices', payload: { name: '越界闸机', placeId: missingId() } }),
      },
    ],
  },
  {
    method: 'PATCH', route: '/api/devices/:id', access: 'device.manage',
    own: async (f) => ({ method: 'PATCH', url: `/api/devices/${(await device(f, 'A')).id}`, payload: { name: `甲方闸机${f.next()}` } }),
    other: async (f) => [
      { label: 'side-B device', probe: { method: 'PATCH', url: `/api/devices/${(await device(f, 'B')).id}`, payload: { active: false } }, expect: notFound({ method: 'PATCH', url: `/api/devices/${missingId()}`, payload: { active: false } }) },
    ],
  },
  {
    method: 'POST', route: '/api/devices/:id/token', access: 'device.manage',
    own: async (f) => {
      // Its own device: replacing the fixture's device token would break the ingestion row.
      const d = await f.t.ctx.services.places.devices.create(sys, { name: `备用闸机${f.next()}`, placeId: (await place(f, 'A')).id });
      return { method: 'POST', url: `/api/devices/${d.device.id}/token` };
    },
    other: async (f) => [
      { label: 'side-B device', probe: { method: 'POST', url: `/api/devices/${(await device(f, 'B')).id}/token` }, expect: notFound({ method: 'POST', url: `/api/devices/${missingId()}/token` }) },
    ],
  },
  {
    method: 'GET', route: '/api/devices/:id/rejections', access: 'device.manage',
    own: async (f) => ({ method: 'GET', url: `/api/devices/${(await device(f, 'A')).id}/rejections` }),
    other: async (f) => [
      { label: 'side-B device', probe: { method: 'GET', url: `/api/devices/${(await device(f, 'B')).id}/rejections` }, expect: notFound({ method: 'GET', url: `/api/devices/${missingId()}/rejections` }) },
    ],
  },
  {
    method: 'POST', route: '/api/devices/ingest', access: 'public',
    own: async (f) => {
      const d = await device(f, 'A');
      const items = [{ key: `m-${f.next()}`, kind: 'temperature', residentId: f.t.world.residentsA[0]!.resident.id, at: f.t.clock.now(), temperature: 36.6 }];
      return { method: 'POST', url: '/api/devices/ingest', payload: { items }, headers: { authorization: `Bearer ${d.token}` } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ accepted: 1, rejected: 0 }),
  },
];
