import crypto from 'node:crypto';
import { ancestorCodes, roleCan, ROLES, type DirectReport, type ReportListQuery, type ReportPage, type SendReportBody } from '@gridline/shared';
import type { Db, DirectReportsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Notifier } from '../notifications/notifier.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { reportsRepository as repo, type ReportRow } from './reports.repository.js';

/** sha256 of exactly what was written: title, a line break, body. */
export function reportHash(title: string, body: string): string {
  return crypto.createHash('sha256').update(`${title}\n${body}`, 'utf8').digest('hex');
}

function toReport(r: ReportRow): DirectReport {
  return {
    id: r.id, title: r.title, body: r.body, contentHash: r.content_hash,
    sender: { id: r.sender_id, name: r.sender_name, role: r.sender_role, nodeCode: r.sender_node, nodeName: r.sender_node_name ?? r.sender_node },
    targetNode: r.target_node, targetName: r.target_name ?? r.target_node, sentAt: Number(r.sent_at), deliveredAt: Number(r.delivered_at),
    readAt: r.read_at === null ? null : Number(r.read_at), readBy: r.read_by_name,
  };
}

/**
 * 直报: any staff level reports straight to the district command. The report is stored once, exactly as written,
 * with its content hash, in the command's box at the top of the sender's region path — there is no step in between
 * where anyone could edit or hold it — and the sender sees when it was delivered and when and by whom it was read.
 */
export class ReportsService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService; notifier: Notifier }) {}

  async send(scope: Scope, body: SendReportBody): Promise<DirectReport> {
    scope.require('report.send');
    const userId = scope.actor.userId;
    if (!userId || !scope.node) throw new AppError('GRIDLINE_FORBIDDEN');
    const top = await this.commandAbove(scope.node);
    const now = this.deps.clock.now();
    const row: DirectReportsTable = {
      id: newId(), sender_id: userId, sender_name: scope.actor.displayName || scope.actor.username, sender_role: scope.actor.role, sender_node: scope.node, target_node: top,
      title: body.title, body: body.body, content_hash: reportHash(body.title, body.body), sent_at: now, delivered_at: now, read_at: null, read_by_id: null, read_by_name: null,
    };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insert(tx, row);
      // The audit event carries the hash, not the text: the log proves what was sent without copying it.
      await this.deps.audit.record(tx, scope, { action: 'report.send', entityType: 'direct_report', entityId: row.id, regionCode: scope.node, diff: { targetNode: top, contentHash: row.content_hash } });
    });
    const where = (await regionsRepository.byCode(this.deps.db, scope.node))?.name ?? scope.node;
    await this.deps.notifier
      .notify({ node: top, permission: 'report.read', kind: 'report.received', title: `直报：${body.title}`, body: `${row.sender_name}（${where}）发来直报，请查阅。`, link: `/reports?id=${row.id}`, email: true })
      .catch(() => undefined);
    return toReport((await repo.byId(this.deps.db, row.id))!);
  }

  /**
   * The highest command above the sender: the topmost node on the sender's path (district first) where someone may
   * read direct reports. A deployment of one street has its command at the street; with a district command, the
   * district. Nodes in between never receive it.
   */
  private async commandAbove(node: string): Promise<string> {
    const path = ancestorCodes(node);
    const readers = ROLES.filter((r) => roleCan(r, 'report.read'));
    const staffed = await repo.nodesWithRoles(this.deps.db, path, readers);
    return path.find((c) => staffed.has(c)) ?? path[0] ?? node;
  }

  async list(scope: Scope, box: 'sent' | 'received', q: ReportListQuery): Promise<ReportPage> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let filter: { senderId: string } | { scope: Scope };
    if (box === 'sent') {
      scope.require('report.send');
      filter = { senderId: scope.actor.userId ?? '' };
    } else {
      scope.require('report.read');
      filter = { scope };
    }
    const r = await repo.page(this.deps.db, filter, q.unread === true, page, pageSize);
    return { items: r.rows.map(toReport), total: r.total, unread: r.unread, page, pageSize };
  }

  /** The sender, or a command reader whose jurisdiction covers the report's target. */
  async get(scope: Scope, id: string): Promise<DirectReport> {
    const row = await repo.byId(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    const mine = row.sender_id === scope.actor.userId && scope.can('report.send');
    if (!mine) {
      if (!scope.can('report.read')) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(row.target_node);
    }
    return toReport(row);
  }

  /** The command opens a received report: the first reader is recorded and the sender is told. */
  async markRead(scope: Scope, id: string): Promise<DirectReport> {
    scope.require('report.read');
    const row = await repo.byId(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.target_node);
    const now = this.deps.clock.now();
    const name = scope.actor.displayName || scope.actor.username;
    let first = false;
    await this.deps.db.transaction().execute(async (tx) => {
      first = await repo.markRead(tx, id, scope.actor.userId ?? '', name, now);
      if (first) await this.deps.audit.record(tx, scope, { action: 'report.read', entityType: 'direct_report', entityId: id, regionCode: row.target_node, diff: { contentHash: row.content_hash } });
    });
    if (first) {
      await this.deps.notifier
        .notify({ userIds: [row.sender_id], kind: 'report.read', title: `直报已阅：${row.title}`, body: `${name} 已于 ${new Date(now + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')} 阅读`, link: `/reports?id=${id}` })
        .catch(() => undefined);
    }
    return toReport((await repo.byId(this.deps.db, id))!);
  }
}
