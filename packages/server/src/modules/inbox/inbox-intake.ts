import crypto from 'node:crypto';
import { parseRobotMessage, validateHotlineTicket, type CreateInboxTokenBody, type HotlineField, type HotlineTicket, type IntakeResult } from '@gridline/shared';
import type { Db, InboxTokensTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { readHotlineFile } from './hotline-import.js';
import { inboxRepository as repo } from './inbox.repository.js';
import type { IncomingItem, InboxService } from './inbox.service.js';

export type TokenChannel = 'hotline' | 'robot';

/** The system that pushes: a token's node and channel. */
export interface PushSource {
  tokenId: string;
  name: string;
  node: string;
  channel: TokenChannel;
}

function toToken(r: InboxTokensTable) {
  return { id: r.id, nodeCode: r.node_code, name: r.name, channel: r.channel as TokenChannel, active: r.active === 1, createdAt: Number(r.created_at), lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at) };
}

function ticketItem(t: HotlineTicket, node: string, source: string): IncomingItem {
  return {
    channel: 'hotline', externalId: t.ticketNo, receivedAt: t.receivedAt, node, reporterName: t.requester, reporterPhone: t.phone, address: t.address, text: t.content,
    urgency: t.urgency, deadlineAt: t.deadlineAt, meta: { ticketNo: t.ticketNo, type: t.type, source },
  };
}

/**
 * The inbox's channels other than the portal: 12345 ticket files and pushes, chat-robot webhooks (both
 * authenticated by inbox tokens, like gate devices), and inbound email (smtp-inbound.ts).
 */
export class InboxIntake {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService; cipher: PersonalDataCipher; inbox: InboxService; emailNode: () => Promise<string | null> }) {}

  private hash(token: string): string {
    return this.deps.cipher.lookupHash('inbox-token', token);
  }

  // ---- tokens ----
  async tokens(scope: Scope) {
    scope.require('inbox.manage');
    return (await repo.tokensUnder(this.deps.db, scope)).map(toToken);
  }

  async createToken(scope: Scope, body: CreateInboxTokenBody) {
    scope.require('inbox.manage');
    const node = scope.narrow(body.nodeCode);
    const token = `gli_${crypto.randomBytes(24).toString('base64url')}`;
    const row: InboxTokensTable = {
      id: newId(), node_code: node, name: body.name.trim(), channel: body.channel, token_hash: this.hash(token), active: 1, created_by: scope.actor.userId, created_at: this.deps.clock.now(), last_used_at: null,
    };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertToken(tx, row);
      await this.deps.audit.record(tx, scope, { action: 'inbox.token.create', entityType: 'inbox_token', entityId: row.id, regionCode: node, diff: auditDiff(null, { name: row.name, channel: row.channel }) });
    });
    return { ...toToken(row), token };
  }

  async disableToken(scope: Scope, id: string) {
    scope.require('inbox.manage');
    const row = await repo.token(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.node_code);
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateToken(tx, id, { active: 0 });
      await this.deps.audit.record(tx, scope, { action: 'inbox.token.disable', entityType: 'inbox_token', entityId: id, regionCode: row.node_code, diff: auditDiff({ active: row.active }, { active: 0 }) });
    });
    return toToken({ ...row, active: 0 });
  }

  /** A pushing system's bearer token → where its items land; refused when unknown, disabled or for another channel. */
  async authenticate(token: string, channel: TokenChannel): Promise<PushSource> {
    const row = token ? await repo.tokenByHash(this.deps.db, this.hash(token)) : undefined;
    if (!row || row.active !== 1) throw new AppError('GRIDLINE_UNAUTHENTICATED', { details: { reason: '接入令牌无效或已停用' } });
    if (row.channel !== channel) throw new AppError('GRIDLINE_FORBIDDEN', { details: { reason: channel === 'hotline' ? '该令牌不能推送 12345 工单' : '该令牌不能推送群机器人消息' } });
    await repo.updateToken(this.deps.db, row.id, { last_used_at: this.deps.clock.now() });
    return { tokenId: row.id, name: row.name, node: row.node_code, channel };
  }

  private sourceScope(source: PushSource): Scope {
    return Scope.system(`inbox-token:${source.name}`);
  }

  // ---- 12345 ----
  /** A ticket file uploaded by a person: good rows stored under the chosen node, every bad row reported. */
  async importHotline(scope: Scope, fileName: string, bytes: Buffer, node?: string): Promise<IntakeResult> {
    scope.require('inbox.manage');
    const at = scope.narrow(node);
    const { tickets, errors } = await readHotlineFile(bytes, fileName);
    const res = await this.deps.inbox.intake(scope, tickets.map((t) => ticketItem(t.ticket, at, `file:${fileName}`)));
    // Outcomes carry the spreadsheet row numbers; rejected rows come first.
    const items = res.items.map((o) => ({ ...o, row: tickets[o.index]?.row }));
    const rowErrors = [...errors].sort((a, b) => a.row - b.row);
    const rejectedRows = new Set(rowErrors.map((e) => e.row));
    return { ...res, rejected: res.rejected + rejectedRows.size, items, errors: rowErrors };
  }

  /** Tickets pushed by the hotline system, each validated on its own. */
  async pushHotline(source: PushSource, tickets: Record<string, unknown>[]): Promise<IntakeResult> {
    const items = tickets.map((t, i) => {
      const v = validateHotlineTicket(t as Partial<Record<HotlineField, unknown>>, i + 1);
      return v.ok ? ticketItem(v.ticket, source.node, `push:${source.name}`) : { rejected: v.errors.map((e) => e.message.replace(/^第 \d+ 行/, `第 ${i + 1} 条`)).join('；') };
    });
    return this.deps.inbox.intake(this.sourceScope(source), items);
  }

  // ---- chat robots ----
  async robot(source: PushSource, messages: unknown[]): Promise<IntakeResult> {
    const now = this.deps.clock.now();
    const items = messages.map((m) => {
      const p = parseRobotMessage(m);
      if (!p.ok) return { rejected: p.reason };
      const msg = p.message;
      const item: IncomingItem = {
        channel: 'robot', externalId: msg.externalId ? `${msg.shape}:${msg.externalId}` : null, receivedAt: msg.at ?? now, node: source.node, reporterName: msg.name,
        reporterPhone: msg.phone, address: msg.address, text: msg.text, requestedCategory: msg.category, meta: { shape: msg.shape, robot: source.name },
      };
      return item;
    });
    return this.deps.inbox.intake(this.sourceScope(source), items);
  }

  // ---- email ----
  /** One inbound email (already parsed and checked by the SMTP listener). */
  async email(mail: { messageId: string | null; from: string; fromName: string | null; subject: string; text: string; receivedAt: number; attachments: Record<string, unknown>[]; photo: string | null }): Promise<IntakeResult> {
    const node = await this.deps.emailNode();
    if (!node) return { accepted: 0, duplicates: 0, rejected: 1, routed: 0, items: [{ index: 0, status: 'rejected', reason: '尚未建立区划，无法接收邮件' }], errors: [] };
    return this.deps.inbox.intake(Scope.system('inbox-email'), [{
      channel: 'email', externalId: mail.messageId, receivedAt: mail.receivedAt, node, reporterName: mail.fromName, reporterPhone: null, address: null,
      subject: mail.subject, text: mail.text || mail.subject, meta: { from: mail.from, subject: mail.subject, attachments: mail.attachments }, photo: mail.photo,
    }]);
  }
}
