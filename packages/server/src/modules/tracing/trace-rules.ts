import { DAY_MS, type ContactCategory, type ContactEvidence, type ContactSource, type ProtocolValues, type RulesAt, type TraceWindow, type TraceWindowView } from '@gridline/shared';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';

/** What a trace works with: the protocol rules per Shanghai day, the people it proposes, and how they are keyed and described. */
/**
 * The version in force per Shanghai day over a span, so that the pure algorithm can ask synchronously (it asks
 * for every scan: days are kept by their number since the epoch, not by formatted date).
 */
export class RulesByDay {
  private readonly days = new Map<number, { p: ProtocolValues; rules: { protocolId: string; tracing: ProtocolValues['tracing'] } }>();
  private first = Infinity;
  private last = -Infinity;
  constructor(private readonly protocol: ProtocolProvider) {}

  private static dayOf(at: number): number {
    return Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS);
  }

  async load(from: number, to: number): Promise<void> {
    for (let d = RulesByDay.dayOf(from) - 1; d <= RulesByDay.dayOf(to) + 1; d++) {
      if (this.days.has(d)) continue;
      const p = await this.protocol.inForce(d * DAY_MS - SHANGHAI_OFFSET_MS);
      this.days.set(d, { p, rules: { protocolId: p.id, tracing: p.tracing } });
      this.first = Math.min(this.first, d);
      this.last = Math.max(this.last, d);
    }
  }

  private entry(at: number) {
    const d = RulesByDay.dayOf(at);
    // Outside what was loaded: the nearest loaded day (versions change by date, rarely).
    return this.days.get(d) ?? this.days.get(d < this.first ? this.first : this.last)!;
  }

  get(at: number): ProtocolValues {
    return this.entry(at).p;
  }

  readonly rulesAt: RulesAt = (at) => this.entry(at).rules;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** A person a trace proposes, before it is merged into the case's contacts. */
export interface Candidate {
  key: string;
  residentId: string | null;
  visitorId: string | null;
  name: string;
  phone: { phone_enc: string | null; phone_hash: string | null; phone_masked: string | null };
  regionCode: string;
  category: ContactCategory;
  source: ContactSource;
  relation: string;
  viaKey: string | null;
  exposureAt: number;
  evidence: ContactEvidence[];
}

/** What a trace found for a case, before anything is written (the bench measures this). */
export interface TraceFindings {
  window: TraceWindow;
  windowView: TraceWindowView;
  caseScans: number;
  candidates: Candidate[];
  rules: RulesByDay;
}

export const rKey = (residentId: string) => `r:${residentId}`;
export const pKey = (phoneHash: string) => `p:${phoneHash}`;

/** "7天集中隔离 + 3天居家健康监测；核酸第1、2、3天" */
export function measureZh(m: { centralizedDays: number; homeIsolationDays: number; homeMonitoringDays: number; testDays: number[] }): string {
  const parts = [
    m.centralizedDays ? `${m.centralizedDays}天集中隔离` : '',
    m.homeIsolationDays ? `${m.homeIsolationDays}天居家隔离` : '',
    m.homeMonitoringDays ? `${m.homeMonitoringDays}天居家健康监测` : '',
  ].filter(Boolean);
  return `${parts.join(' + ') || '无隔离要求'}${m.testDays.length ? `；核酸第${m.testDays.join('、')}天` : ''}`;
}
