import type { ContactCategory, ContactEvidence, ContactSource, TraceWindow, TraceWindowView } from '@gridline/shared';
import type { ProtocolByDay } from '../protocol/protocol-by-day.js';

// What a trace works with besides the protocol per day (protocol/protocol-by-day.ts): the people it proposes, and
// how they are keyed and described.

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
  rules: ProtocolByDay;
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
