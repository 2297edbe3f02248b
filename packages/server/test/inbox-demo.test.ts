/** The demo street's inbox: every channel present, rules routing some items at once, a duplicate, direct reports. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: false });
  await seedDemo(t.ctx, 2026, 300);
});
afterAll(() => t.close());

it('seeds the inbox and direct reports of the demo street', async () => {
  const rows = await t.ctx.db.selectFrom('inbox_items').select(['channel', 'status', 'category', 'external_id']).orderBy('received_at').execute();
  expect(rows.map((r) => r.channel)).toEqual(['hotline', 'hotline', 'robot', 'robot', 'robot', 'email', 'portal', 'portal']);
  const by = (status: string) => rows.filter((r) => r.status === status).length;
  // 透析 (medical), 哄抬物价 is market (no auto-route), 垃圾 + 清运 (sanitation, routed), its repeat (duplicate), 核酸 (epidemic, a person decides),
  // 墙皮脱落 (housing, a person decides), 奶粉 + 配送 (supplies, routed), 志愿者 (nothing matches).
  expect(rows.map((r) => [r.status, r.category])).toEqual([
    ['routed', 'medical'], ['new', 'market'], ['routed', 'sanitation'], ['duplicate', 'sanitation'], ['new', 'epidemic'], ['new', 'housing'], ['routed', 'supplies'], ['new', null],
  ]);
  expect([by('routed'), by('new'), by('duplicate')]).toEqual([3, 4, 1]);
  const reports = await t.ctx.db.selectFrom('direct_reports').select(['title', 'target_node', 'read_by_name']).execute();
  expect(reports.sort((a, b) => a.title.localeCompare(b.title))).toEqual([
    { title: '梅园第1网格发热人员情况', target_node: '340104008', read_by_name: '街道指挥部 值班员' },
    { title: '独居老人用药短缺', target_node: '340104008', read_by_name: null },
  ].sort((a, b) => a.title.localeCompare(b.title)));
});
