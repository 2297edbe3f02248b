import type { AuditEvent, AuditListQuery, AuditVerifyResult } from '@gridline/shared';
import type { Dialect } from '../../db/dialect.js';
import type { Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Scope } from '../../security/scope.js';
import { ChainVerifier, chainHash, GENESIS_HASH, type ChainedEvent } from './audit.chain.js';
import { auditRepository } from './audit.repository.js';

/** Advisory-lock key that serializes appends to the chain across server instances. */
const AUDIT_CHAIN_LOCK = 7_004_001;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  regionCode?: string | null;
  purpose?: string | null;
  /** Before/after of changed fields; sensitive values must already be masked. */
  diff?: Record<string, unknown> | null;
}

/** Field-by-field change set: `{ name: [before, after] }`, only fields that differ. */
export function auditDiff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, unknown> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const a = before?.[k] ?? null;
    const b = after?.[k] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = [a, b];
  }
  return out;
}

const VERIFY_MESSAGES = {
  altered: (seq: number) => `审计事件 #${seq} 的内容被篡改（哈希不符）`,
  missing: (seq: number) => `审计事件 #${seq} 缺失（被删除）`,
  reordered: (seq: number) => `审计事件 #${seq} 位置异常（顺序被调换，或链条被重新拼接）`,
};

export class AuditService {
  constructor(private readonly deps: { dialect: Dialect; clock: Clock }) {}

  /** Appends one event to the hash chain. Call it inside the transaction of the change it records. */
  async record(tx: Executor, scope: Scope, entry: AuditEntry): Promise<void> {
    await this.recordMany(tx, scope, [entry]);
  }

  /**
   * Appends several events in order (bulk imports): one lock, one read of the chain's end, batched inserts,
   * so recording each imported record costs little more than recording the batch.
   */
  async recordMany(tx: Executor, scope: Scope, entries: AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.deps.dialect.lockChain(tx, AUDIT_CHAIN_LOCK);
    const last = await auditRepository.last(tx);
    const a = scope.actor;
    const at = this.deps.clock.now();
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const rows = entries.map((entry) => {
      const event: ChainedEvent = {
        seq: ++seq,
        at,
        actor_id: a.userId,
        actor_name: a.username,
        actor_role: a.role,
        actor_node: a.node,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId ?? null,
        region_code: entry.regionCode ?? (a.node || null),
        purpose: entry.purpose ?? null,
        diff: entry.diff ? JSON.stringify(entry.diff) : null,
        ip: a.ip,
      };
      const row = { ...event, prev_hash: prevHash, hash: chainHash(prevHash, event) };
      prevHash = row.hash;
      return row;
    });
    await auditRepository.insertMany(tx, rows);
  }

  async list(db: Db, scope: Scope, q: AuditListQuery) {
    scope.require('audit.read');
    const { rows, ...page } = await auditRepository.list(db, scope, q);
    const items: AuditEvent[] = rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      actorNode: r.actor_node,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      regionCode: r.region_code,
      purpose: r.purpose,
      diff: r.diff ? (JSON.parse(r.diff) as Record<string, unknown>) : null,
      hash: r.hash,
    }));
    return { items, ...page };
  }

  /** Walks the whole chain; names the first altered, missing or reordered event. */
  async verify(db: Db): Promise<AuditVerifyResult> {
    const v = new ChainVerifier();
    let after = 0;
    for (;;) {
      const batch = await auditRepository.batchAfter(db, after, 5000);
      if (!batch.length || !v.pushBatch(batch)) break;
      after = batch[batch.length - 1]!.id;
    }
    const r = v.result();
    return {
      ...r,
      message: r.ok ? `审计链完整，共校验 ${r.checked} 条事件` : VERIFY_MESSAGES[r.problem!](r.firstBadSeq!),
    };
  }
}
