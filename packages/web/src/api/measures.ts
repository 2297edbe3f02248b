import type {
  Appeal, AppealDecisionBody, AppealListQuery, AppealPage, AreaControlBody, FileAppealBody, Measure, MeasureAssessment, MeasureListQuery, MeasurePage, PersonMeasureBody,
} from '@gridline/shared';
import { api, type Query } from './client';

export type { Appeal, Measure, MeasureAssessment };
const q = (o: object): Query => o as Query;

/** Control measures and appeals (/api/measures, /api/appeals) and the resident's own (/api/me/measures, /api/me/appeals). */
export const measuresApi = {
  list: (query: MeasureListQuery, signal?: AbortSignal) => api.get<MeasurePage>('/measures', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<Measure>(`/measures/${id}`, undefined, signal),
  assess: (body: PersonMeasureBody, signal?: AbortSignal) => api.post<MeasureAssessment>('/measures/assess', body, { signal }),
  create: (body: PersonMeasureBody) => api.post<Measure>('/measures', body),
  assessArea: (body: AreaControlBody, signal?: AbortSignal) => api.post<MeasureAssessment>('/measures/areas/assess', body, { signal }),
  createArea: (body: AreaControlBody) => api.post<Measure>('/measures/areas', body),
  decide: (id: string, approve: boolean, reason: string) => api.post<Measure>(`/measures/${id}/decision`, { approve, reason }),
  extend: (id: string, days: number, reason: string) => api.post<Measure>(`/measures/${id}/extend`, { days, reason }),
  release: (id: string, note: string) => api.post<Measure>(`/measures/${id}/release`, { note }),
  appeals: (query: AppealListQuery, signal?: AbortSignal) => api.get<AppealPage>('/appeals', q(query), signal),
  decideAppeal: (id: string, body: AppealDecisionBody) => api.post<Appeal>(`/appeals/${id}/decision`, body),
  mine: (signal?: AbortSignal) => api.get<Measure[]>('/me/measures', undefined, signal),
  myAppeals: (signal?: AbortSignal) => api.get<Appeal[]>('/me/appeals', undefined, signal),
  fileAppeal: (body: FileAppealBody) => api.post<Appeal>('/me/appeals', body),
};
