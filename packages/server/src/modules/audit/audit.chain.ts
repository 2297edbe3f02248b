import crypto from 'node:crypto';

/** Fields that are hashed, in order. Changing this list is a breaking change of the chain format. */
export interface ChainedEvent {
  seq: number;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_node: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  region_code: string | null;
  purpose: string | null;
  diff: string | null;
  ip: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(prevHash: string, e: ChainedEvent): string {
  const body = JSON.stringify([
    e.seq, e.at, e.actor_id, e.actor_name, e.actor_role, e.actor_node, e.action, e.entity_type, e.entity_id,
    e.region_code, e.purpose, e.diff, e.ip,
  ]);
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainProblem = 'altered' | 'missing' | 'reordered';

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: ChainProblem | null;
}

/**
 * Walks events in insertion order (id; appends happen under the chain lock, so id order is chain order).
 * Per event: its hash must match its content (else altered); its seq must follow the previous one
 * (else an event is missing, or out of place when the expected seq turns up later); its prev_hash must
 * be the previous event's hash (else the chain was re-linked: reordered).
 */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  checked = 0;
  bad: { seq: number; problem: ChainProblem } | null = null;

  /** Checks a batch; `batch` is in id order and is also the look-ahead for telling missing from reordered. */
  pushBatch(batch: (ChainedEvent & { prev_hash: string; hash: string })[]): boolean {
    for (let i = 0; i < batch.length && !this.bad; i++) {
      const e = batch[i]!;
      this.checked++;
      if (chainHash(e.prev_hash, e) !== e.hash) this.bad = { seq: e.seq, problem: 'altered' };
      else if (e.seq !== this.expectedSeq) {
        const expectedLater = batch.slice(i + 1).some((x) => x.seq === this.expectedSeq);
        this.bad = e.seq > this.expectedSeq && !expectedLater ? { seq: this.expectedSeq, problem: 'missing' } : { seq: e.seq, problem: 'reordered' };
      } else if (e.prev_hash !== this.prevHash) this.bad = { seq: e.seq, problem: 'reordered' };
      this.prevHash = e.hash;
      this.expectedSeq = e.seq + 1;
    }
    return this.bad === null;
  }

  result(): ChainCheck {
    return { ok: this.bad === null, checked: this.checked, firstBadSeq: this.bad?.seq ?? null, problem: this.bad?.problem ?? null };
  }
}
