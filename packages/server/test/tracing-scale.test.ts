/**
 * Transmission chains at the size where other systems' graphs never render (5,000 cases, 20,000 contacts):
 * the API answers with cluster summaries and one cluster at a time, in bounded payloads, in bounded time.
 * The dataset is generated with a known structure: 500 clusters of 10 cases; in each, every case names the
 * cluster's hub resident, one of two other residents (one of them the resident behind the cluster's first case,
 * so that "became a case" links), and two people outside the register.
 */
import { type ClusterDetail, type ClusterPage, type GraphSearchResult } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CasesTable, ContactsTable, ResidentsTable } from '../src/db/schema.js';
import { contactsRepository } from '../src/modules/tracing/contacts.repository.js';
import { createTestApp, type TestApp } from './harness.js';

const CLUSTERS = 500;
const CASES_PER = 10;
let t: TestApp;
let cookie: string;
const caseNo = (i: number) => `BL-20261129-${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.ctx.db;
  const template = await db.selectFrom('residents').selectAll().where('id', '=', t.world.residentsA[0]!.resident.id).executeTakeFirstOrThrow();
  const pool: ResidentsTable[] = Array.from({ length: CLUSTERS * 4 }, (_, i) => ({
    ...template, id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`, name: `居民${i}`, doc_number_hash: `scale-${i}`, doc_last4: String(i % 10000).padStart(4, '0'),
    phone_enc: null, phone_hash: null, phone_masked: null, phone_last4: null,
  }));
  for (let i = 0; i < pool.length; i += 500) await db.insertInto('residents').values(pool.slice(i, i + 500)).execute();
  const now = t.clock.now();
  const cases: CasesTable[] = [];
  const contacts: ContactsTable[] = [];
  const contact = (caseId: string, n: number, residentId: string | null, name: string, at: number): ContactsTable => ({
    id: `00000000-0000-7000-9000-${String(n).padStart(12, '0')}`, case_id: caseId, person_key: residentId ? `r:${residentId}` : `n:${name}`, resident_id: residentId, visitor_id: null, person_name: name,
    phone_enc: null, phone_hash: null, phone_masked: null, region_code: template.region_code, category: 'close', source: residentId ? 'household' : 'entered', relation: '', via_contact_id: null,
    exposure_at: at, evidence: JSON.stringify(residentId ? [{ kind: 'household', address: '' }] : [{ kind: 'colocation', placeName: `场所${n % 7}`, overlapMinutes: 12 }]), status: 'confirmed',
    protocol_id: 'new-ten-2022-12', decided_by: null, decided_at: null, notified_at: null, task_id: null, created_at: now, updated_at: now, version: 1,
  });
  let n = 0;
  for (let g = 0; g < CLUSTERS; g++) {
    for (let k = 0; k < CASES_PER; k++) {
      const i = g * CASES_PER + k;
      const id = `00000000-0000-7000-a000-${String(i).padStart(12, '0')}`;
      const at = now - (i % 300) * 3_600_000;
      cases.push({
        id, case_no: caseNo(i), classification: 'confirmed', status: 'open', outcome: null, resident_id: k === 0 ? pool[g * 4]!.id : null, person_name: `病例${i}`,
        phone_enc: null, phone_hash: null, phone_masked: null, region_code: template.region_code, address: '', onset_date: null, sampling_date: '2026-11-27', confirmed_at: at,
        report_source: '核酸筛查', protocol_id: 'new-ten-2022-12', note: '', created_by: 'test', created_at: at, updated_at: at, version: 1,
      });
      const second = k === 1 ? pool[g * 4]!.id : pool[g * 4 + 2 + (k % 2)]!.id;
      contacts.push(contact(id, n++, pool[g * 4 + 1]!.id, `居民${g * 4 + 1}`, at), contact(id, n++, second, 'x', at), contact(id, n++, null, `路人${i}a`, at), contact(id, n++, null, `路人${i}b`, at));
    }
  }
  for (let i = 0; i < cases.length; i += 500) await db.insertInto('cases').values(cases.slice(i, i + 500)).execute();
  await contactsRepository.insertMany(db, contacts);
  cookie = await t.login(t.world.usernames.tracer);
}, 120_000);
afterAll(() => t.close());

const get = async <T>(url: string) => {
  const t0 = performance.now();
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  return { ms: performance.now() - t0, bytes: res.rawPayload.length, status: res.statusCode, body: res.json<T>() };
};

describe('transmission chains at 5,000 cases and 20,000 contacts', () => {
  it('lists cluster summaries first, in a small payload', async () => {
    const r = await get<ClusterPage>('/api/tracing/clusters?pageSize=20');
    expect(r.status).toBe(200);
    // 10 cases + 3 residents (the 4th is a case) + 20 people outside the register per cluster.
    expect(r.body.totals).toEqual({ cases: 5000, contacts: CLUSTERS * 23, clusters: CLUSTERS });
    expect(r.body.items).toHaveLength(20);
    for (const c of r.body.items) expect(c).toMatchObject({ size: 33, cases: 10, contacts: 23 });
    expect(r.bytes).toBeLessThan(20_000);
    console.log(`clusters: ${r.ms.toFixed(0)} ms, ${r.bytes} bytes`);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('expands one cluster to its nodes and edges, and caps a large one', async () => {
    const list = await get<ClusterPage>('/api/tracing/clusters?pageSize=1');
    const id = list.body.items[0]!.id;
    const r = await get<ClusterDetail>(`/api/tracing/clusters/${encodeURIComponent(id)}`);
    expect(r.body.nodes).toHaveLength(33);
    expect(r.body.edges).toHaveLength(40);
    expect(r.body.edges.filter((e) => e.type === 'became_case')).toHaveLength(1);
    expect(r.bytes).toBeLessThan(20_000);
    const capped = await get<ClusterDetail>(`/api/tracing/clusters/${encodeURIComponent(id)}?limit=10`);
    expect(capped.body).toMatchObject({ truncated: true });
    expect(capped.body.nodes.map((x) => x.kind)).toEqual(Array(10).fill('case'));
    console.log(`cluster: ${r.ms.toFixed(0)} ms, ${r.bytes} bytes`);
  });

  it('finds a case number and focuses its node', async () => {
    const r = await get<GraphSearchResult>(`/api/tracing/search?q=${caseNo(4321)}`);
    expect(r.body.matches).toEqual([{ clusterId: expect.any(String), nodeId: 'c:00000000-0000-7000-a000-000000004321', label: `${caseNo(4321)} 病例4321`, kind: 'case' }]);
    const detail = await get<ClusterDetail>(`/api/tracing/clusters/${encodeURIComponent(r.body.matches[0]!.clusterId)}`);
    expect(detail.body.nodes.map((x) => x.id)).toContain('c:00000000-0000-7000-a000-000000004321');
    console.log(`search: ${r.ms.toFixed(0)} ms`);
  });
});
