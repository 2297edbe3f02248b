import type {
  BulkReleaseBody, BulkReleaseResult, Job, MeasureDelivery, MeasureNoticesBody, RecordDeliveriesBody, RecordDeliveriesResult, ReleaseListQuery, ReleaseProposal, ReleaseProposalPage,
} from '@gridline/shared';
import { api, type Query } from './client';

export type { BulkReleaseResult, MeasureDelivery, ReleaseProposal };

/** Release proposals at the due date, bulk release, documents and their delivery records (issue #7). */
export const measureLifecycleApi = {
  releases: (query: ReleaseListQuery, signal?: AbortSignal) => api.get<ReleaseProposalPage>('/measures/releases', query as Query, signal),
  release: (body: BulkReleaseBody) => api.post<BulkReleaseResult>('/measures/releases', body),
  documents: (body: MeasureNoticesBody) => api.post<Job>('/measures/notices', body),
  deliveries: (measureId: string, signal?: AbortSignal) => api.get<MeasureDelivery[]>(`/measures/${measureId}/deliveries`, undefined, signal),
  recordDeliveries: (body: RecordDeliveriesBody) => api.post<RecordDeliveriesResult>('/measures/deliveries', body),
  viewed: (measureIds: string[]) => api.post<RecordDeliveriesResult>('/me/measures/viewed', { measureIds }),
};
