import type {
  BulkContactsBody, BulkContactsResult, CaseTracing, ClockQuery, ClockSummary, ClusterDetail, ClusterPage, ClusterQuery, Contact, EnterContactBody, FollowupContact,
  FollowupQuery, GraphSearchResult, TraceResult,
} from '@gridline/shared';
import { api, type Query } from './client';

export type { CaseTracing, ClockSummary, ClusterDetail, ClusterPage, Contact, FollowupContact };

const q = (o: object): Query => o as Query;

/** Contact tracing (/api/tracing): a case's contacts, proposals, bulk decisions, follow-up, the clock, the chains, the report. */
export const tracingApi = {
  ofCase: (caseId: string, signal?: AbortSignal) => api.get<CaseTracing>(`/tracing/cases/${caseId}`, undefined, signal),
  trace: (caseId: string) => api.post<TraceResult>(`/tracing/cases/${caseId}/trace`),
  enter: (caseId: string, body: EnterContactBody) => api.post<Contact>(`/tracing/cases/${caseId}/contacts`, body),
  bulk: (body: BulkContactsBody) => api.post<BulkContactsResult>('/tracing/contacts/bulk', body),
  reportUrl: (caseId: string, format: 'docx' | 'xlsx') => `/api/tracing/cases/${caseId}/report?format=${format}`,
  followup: (query: FollowupQuery, signal?: AbortSignal) => api.get<{ items: FollowupContact[]; total: number; page: number; pageSize: number }>('/tracing/followup', q(query), signal),
  clock: (query: ClockQuery, signal?: AbortSignal) => api.get<ClockSummary>('/tracing/clock', q(query), signal),
  clusters: (query: ClusterQuery, signal?: AbortSignal) => api.get<ClusterPage>('/tracing/clusters', q(query), signal),
  cluster: (id: string, limit?: number, signal?: AbortSignal) => api.get<ClusterDetail>(`/tracing/clusters/${encodeURIComponent(id)}`, q({ limit }), signal),
  search: (text: string, signal?: AbortSignal) => api.get<GraphSearchResult>('/tracing/search', { q: text }, signal),
};
