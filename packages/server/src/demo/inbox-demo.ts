import type { AppContext } from '../context.js';
import type { IncomingItem } from '../modules/inbox/inbox.service.js';
import { Scope } from '../security/scope.js';
import { DEMO_STREET } from './demo-street.js';

const HOUR = 3_600_000;
const MIN = 60_000;

/**
 * 线上一张网 in the demo street: the starting keyword rules at the street, a 12345 token and a residents' group
 * robot for 梅园社区, a morning's worth of items from every channel (some routed by the rules at once, some waiting
 * for a person, one duplicate), and two direct reports from the grid worker to the street command, one read.
 */
export async function seedInboxDemo(ctx: AppContext, now: number): Promise<void> {
  const { inbox, reports } = ctx.services;
  const sys = Scope.system('demo');
  const street = DEMO_STREET.code;
  const community1 = `${street}001`;
  const grid1 = `${community1}001`;
  await inbox.inbox.seedDefaultRules(sys, street);
  await inbox.intake.createToken(sys, { name: '12345 热线平台', channel: 'hotline', nodeCode: street });
  await inbox.intake.createToken(sys, { name: '梅园社区居民群（企业微信）', channel: 'robot', nodeCode: community1 });

  const unit = await ctx.db.selectFrom('households').select(['unit_code', 'address']).where('code', 'like', `${grid1}%`).orderBy('code').limit(3).execute();
  const at = (minutesAgo: number) => now - minutesAgo * MIN;
  const item = (x: Partial<IncomingItem> & Pick<IncomingItem, 'channel' | 'text' | 'receivedAt'>): IncomingItem => ({
    externalId: null, node: community1, reporterName: null, reporterPhone: null, address: null, ...x,
  });
  const batch: IncomingItem[] = [
    item({ channel: 'hotline', externalId: 'BJ12345-20261129-0031', receivedAt: at(310), node: street, reporterName: '刘桂芳', reporterPhone: '13905510031', address: unit[0]?.address ?? null,
      text: '家中老人需要长期透析，小区封控后无法就医，请协调车辆。', urgency: 'tough', deadlineAt: at(310) + 2 * HOUR, meta: { ticketNo: 'BJ12345-20261129-0031', type: '求助' } }),
    item({ channel: 'hotline', externalId: 'BJ12345-20261129-0044', receivedAt: at(250), node: street, reporterName: '陈明', reporterPhone: '13905510044',
      text: '梅园小区门口菜店哄抬物价，青菜涨价三倍。', deadlineAt: at(250) + 24 * HOUR, meta: { ticketNo: 'BJ12345-20261129-0044', type: '投诉' } }),
    item({ channel: 'robot', externalId: 'wecom:msg-8812', receivedAt: at(180), reporterName: '王阿姨', reporterPhone: '13805512233', text: '3栋楼道垃圾两天没人清运了，味道很大。', meta: { shape: 'wecom', robot: '梅园社区居民群' } }),
    item({ channel: 'robot', externalId: 'wecom:msg-8820', receivedAt: at(150), reporterName: '王阿姨', reporterPhone: '13805512233', text: '3栋楼道垃圾两天没人清运了，味道很大！', meta: { shape: 'wecom', robot: '梅园社区居民群' } }),
    item({ channel: 'robot', externalId: 'wecom:msg-8831', receivedAt: at(120), reporterName: '小李', text: '请问明天核酸检测点还在小区南门吗？', meta: { shape: 'wecom', robot: '梅园社区居民群' } }),
    item({ channel: 'email', externalId: '<20261129.demo@mail.example.com>', receivedAt: at(90), reporterName: '赵先生', subject: '关于小区楼顶渗水', text: '7栋顶楼墙皮脱落，楼顶渗水严重，担心有安全隐患。', meta: { from: 'zhao@example.com', subject: '关于小区楼顶渗水', attachments: [] } }),
    item({ channel: 'portal', receivedAt: at(40), node: unit[1]?.unit_code ?? grid1, placed: true, reporterName: '孙丽', reporterPhone: '13905519876', text: '孩子奶粉快吃完了，封控期间买不到，能否帮忙配送？', requestedCategory: 'supplies' }),
    item({ channel: 'portal', receivedAt: at(15), node: unit[2]?.unit_code ?? grid1, placed: true, reporterName: '周强', text: '想申请成为志愿者，请问怎么报名？' }),
  ];
  await inbox.inbox.intake(sys, batch);

  const grid = await ctx.db.selectFrom('users').select(['id', 'display_name']).where('username', '=', 'grid').executeTakeFirst();
  if (!grid) return;
  const gridScope = new Scope({ ...sys.actor, kind: 'user', userId: grid.id, username: 'grid', displayName: grid.display_name, role: 'grid_worker', node: grid1 });
  const first = await reports.send(gridScope, {
    title: '梅园第1网格发热人员情况',
    body: '本网格 3 栋、5 栋本周共有 4 户出现发热症状，已上报社区，但核酸采样点迟迟未安排上门。请指挥部协调采样力量。\n\n网格员 2026-11-29',
  });
  await reports.send(gridScope, { title: '独居老人用药短缺', body: '网格内 6 位独居老人降压药仅剩三天用量，社区药房缺货。' });
  const command = await ctx.db.selectFrom('users').select(['id', 'display_name']).where('username', '=', 'command').executeTakeFirst();
  if (command) {
    const commandScope = new Scope({ ...sys.actor, kind: 'user', userId: command.id, username: 'command', displayName: command.display_name, role: 'command', node: street });
    await reports.markRead(commandScope, first.id);
  }
}
