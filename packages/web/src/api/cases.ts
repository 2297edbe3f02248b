import type { CaseDetail, CaseListQuery, CasePage, CaseView, CloseCaseBody, CreateCaseBody, ReclassifyCaseBody, UpdateCaseBody } from '@gridline/shared';
import { api, type Query } from './client';

export type { CaseDetail, CasePage, CaseView };

const q = (o: object): Query => o as Query;

/** Cases (/api/cases): list with counts, detail with the timeline, report, edit, reclassify, close. */
export const casesApi = {
  list: (query: CaseListQuery, signal?: AbortSignal) => api.get<CasePage>('/cases', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<CaseDetail>(`/cases/${id}`, undefined, signal),
  create: (body: CreateCaseBody) => api.post<CaseView>('/cases', body),
  update: (id: string, body: UpdateCaseBody) => api.patch<CaseView>(`/cases/${id}`, body),
  reclassify: (id: string, body: ReclassifyCaseBody) => api.post<CaseView>(`/cases/${id}/reclassify`, body),
  close: (id: string, body: CloseCaseBody) => api.post<CaseView>(`/cases/${id}/close`, body),
};
