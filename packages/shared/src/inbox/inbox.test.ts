import { describe, expect, it } from 'vitest';
import { classifyText, DEFAULT_KEYWORD_RULES, type KeywordRule } from './classify.js';
import { mapHotlineHeaders, parseShanghaiDateTime, validateHotlineTicket } from './hotline.js';
import { parseRobotMessage } from './robot.js';
import { cleanMessage, dedupeText } from './text.js';

const rules: KeywordRule[] = DEFAULT_KEYWORD_RULES.map((r, i) => ({ ...r, id: `r${i}` }));

describe('dedupeText', () => {
  it('ignores spaces, punctuation, full width and case', () => {
    expect(dedupeText('小区门口 垃圾没人清！！')).toBe('小区门口垃圾没人清');
    expect(dedupeText('小区门口，垃圾没人清')).toBe(dedupeText('小区门口垃圾 没人清!'));
    expect(dedupeText('ＡＢＣ　１２３')).toBe('abc123');
    expect(dedupeText('垃圾没人清')).not.toBe(dedupeText('垃圾有人清'));
  });
  it('cleans messages but keeps paragraphs', () => {
    expect(cleanMessage('  第一行   有空格 \r\n\r\n\r\n\r\n 第二行 ')).toBe('第一行 有空格\n\n第二行');
  });
});

describe('classifyText', () => {
  it('decides by the rule with the most hits and says which keywords matched', () => {
    const c = classifyText('3号楼门口垃圾堆了三天没有清运，气味很大有异味', rules);
    expect(c).toMatchObject({ category: 'sanitation', ruleName: '环境卫生', confidence: 'high', autoRoute: true, urgency: 'daily' });
    expect(c.matched.sort()).toEqual(['垃圾', '异味', '清运'].sort());
  });
  it('is low confidence when two categories tie, and never auto-routes then', () => {
    // "停水" (utilities) and "垃圾" (sanitation): one hit each.
    const c = classifyText('小区停水了，楼下还有垃圾', rules);
    expect(c.confidence).toBe('low');
    expect(c.autoRoute).toBe(false);
    expect(c.candidates.map((x) => x.category).sort()).toEqual(['sanitation', 'utilities']);
    // Priority breaks the tie: sanitation (50) before utilities (70).
    expect(c.category).toBe('sanitation');
  });
  it('takes the highest urgency of the decided category', () => {
    const c = classifyText('家里老人胸痛，需要就医', rules);
    expect(c).toMatchObject({ category: 'medical', urgency: 'emergency', confidence: 'high' });
  });
  it('finds nothing in unrelated text and respects minHits', () => {
    expect(classifyText('你好，请问社区几点上班', rules)).toMatchObject({ category: null, confidence: 'none', autoRoute: false });
    const strict: KeywordRule[] = [{ id: 'x', name: '两词', category: 'market', urgency: 'daily', keywords: ['涨价', '菜'], minHits: 2, autoRoute: true, priority: 1 }];
    expect(classifyText('菜价涨价了', strict).category).toBe('market');
    expect(classifyText('涨价了', strict).category).toBeNull();
  });
  it('rules that do not auto-route keep high-confidence items for a person', () => {
    expect(classifyText('楼道里有可疑人员', rules)).toMatchObject({ category: 'public_order', confidence: 'high', autoRoute: false });
  });
});

describe('parseRobotMessage', () => {
  it('accepts our plain shape', () => {
    expect(parseRobotMessage({ id: 'm1', text: '停电了', phone: '13900001111', at: 1764378000 })).toEqual({
      ok: true, message: { shape: 'plain', externalId: 'm1', text: '停电了', name: null, phone: '13900001111', address: null, category: null, at: 1764378000000 },
    });
  });
  it('accepts WeCom, DingTalk and Feishu text messages', () => {
    expect(parseRobotMessage({ msgtype: 'text', text: { content: '垃圾没清' }, msgid: 'w1', from: { name: '张三' } })).toMatchObject({ ok: true, message: { shape: 'wecom', externalId: 'w1', name: '张三', text: '垃圾没清' } });
    expect(parseRobotMessage({ msgtype: 'text', text: { content: '路灯坏了' }, msgId: 'd1', senderNick: '李四', createAt: 1764378000123 })).toMatchObject({ ok: true, message: { shape: 'dingtalk', externalId: 'd1', name: '李四', at: 1764378000123 } });
    const feishu = { schema: '2.0', header: { event_id: 'e1', event_type: 'im.message.receive_v1', create_time: '1764378000000' }, event: { sender: { sender_id: { open_id: 'ou_1' } }, message: { message_id: 'om_1', message_type: 'text', content: '{"text":"停水了"}' } } };
    expect(parseRobotMessage(feishu)).toMatchObject({ ok: true, message: { shape: 'feishu', externalId: 'om_1', text: '停水了', name: 'ou_1' } });
  });
  it('refuses unknown shapes, non-text messages and empty text with a reason', () => {
    expect(parseRobotMessage({ foo: 1, bar: 2 })).toEqual({ ok: false, reason: '无法识别的消息格式（字段：foo, bar）；支持企业微信、钉钉、飞书文本消息和 { text } 格式' });
    expect(parseRobotMessage({ msgtype: 'image', image: {} })).toEqual({ ok: false, reason: '仅支持文本消息，收到的消息类型为「image」' });
    expect(parseRobotMessage({ text: '   ' })).toEqual({ ok: false, reason: '消息内容为空' });
    expect(parseRobotMessage('hello')).toEqual({ ok: false, reason: '每条消息须为 JSON 对象' });
  });
});

describe('12345 tickets', () => {
  it('maps Chinese headers and names missing required columns', () => {
    expect(mapHotlineHeaders(['工单编号', '受理时间', '诉求人', '联系电话', '地址', '诉求内容']).missing).toEqual([]);
    expect(mapHotlineHeaders(['编号', '姓名']).missing).toEqual(['receivedAt', 'content']);
  });
  it('parses Shanghai local times', () => {
    expect(parseShanghaiDateTime('2026-11-29 09:30')).toBe(Date.UTC(2026, 10, 29, 1, 30));
    expect(parseShanghaiDateTime('2026/11/29 9:30:15')).toBe(Date.UTC(2026, 10, 29, 1, 30, 15));
    expect(parseShanghaiDateTime('2026年11月29日')).toBe(Date.UTC(2026, 10, 28, 16, 0));
    expect(parseShanghaiDateTime('2026-02-30 10:00')).toBeNull();
    expect(parseShanghaiDateTime('昨天')).toBeNull();
  });
  it('validates a good row', () => {
    const r = validateHotlineTicket({ ticketNo: 'GD2026112901', receivedAt: '2026-11-29 09:30', phone: '139 0000 1111', content: '楼道漏水', deadlineAt: '2026-11-30 09:30', urgency: '紧急' }, 2);
    expect(r).toEqual({
      ok: true,
      ticket: { ticketNo: 'GD2026112901', receivedAt: Date.UTC(2026, 10, 29, 1, 30), requester: null, phone: '13900001111', address: null, content: '楼道漏水', type: null, deadlineAt: Date.UTC(2026, 10, 30, 1, 30), urgency: 'tough' },
    });
  });
  it('reports every bad field of a row in Chinese with its row number', () => {
    const r = validateHotlineTicket({ ticketNo: '', receivedAt: '明天', phone: '12', content: '有事', deadlineAt: '2026-11-28 09:00' }, 4);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { row: 4, field: 'ticketNo', message: '第 4 行「工单编号」不能为空' },
      { row: 4, field: 'receivedAt', message: '第 4 行「受理时间」无法识别的时间：明天（应为 2026-11-29 09:30）' },
      { row: 4, field: 'phone', message: '第 4 行「联系电话」号码不正确：12' },
    ]);
  });
});
