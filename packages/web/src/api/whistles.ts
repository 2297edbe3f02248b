import type {
  AcknowledgeWhistleBody, ConfirmWhistleBody, CreateDepartmentBody, CreateRoutingRuleBody, DeadlineSettings, Department, PerformanceQuery, PerformanceReport, RaiseWhistleBody,
  RerouteWhistleBody, RoutingRule, SetDeadlinesBody, UpdateDepartmentBody, WhistleDetail, WhistleListQuery, WhistleNoteBody, WhistlePage,
} from '@gridline/shared';
import { api, request, toSearch, type Query } from './client';

export type { DeadlineSettings, Department, PerformanceReport, RoutingRule, WhistleDetail, WhistlePage };

const q = (o: object): Query => o as Query;

/** Departments, routing rules and deadlines (/api/departments…). */
export const departmentsApi = {
  list: (signal?: AbortSignal) => api.get<{ items: Department[] }>('/departments', undefined, signal),
  create: (body: CreateDepartmentBody) => api.post<Department>('/departments', body),
  update: (id: string, body: UpdateDepartmentBody) => api.patch<Department>(`/departments/${id}`, body),
  routes: (signal?: AbortSignal) => api.get<{ items: RoutingRule[] }>('/departments/routes', undefined, signal),
  addRoute: (body: CreateRoutingRuleBody) => api.post<{ items: RoutingRule[] }>('/departments/routes', body),
  removeRoute: (id: string) => api.del<{ items: RoutingRule[] }>(`/departments/routes/${id}`),
  deadlines: (signal?: AbortSignal) => api.get<DeadlineSettings>('/departments/deadlines', undefined, signal),
  setDeadlines: (body: SetDeadlinesBody) => api.put<DeadlineSettings>('/departments/deadlines', body),
};

/** Whistles (/api/whistles…). */
export const whistlesApi = {
  list: (query: WhistleListQuery, signal?: AbortSignal) => api.get<WhistlePage>('/whistles', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<WhistleDetail>(`/whistles/${id}`, undefined, signal),
  raise: (body: RaiseWhistleBody) => api.post<{ id: string; no: string; departmentId: string | null }>('/whistles', body),
  acknowledge: (id: string, body: AcknowledgeWhistleBody) => api.post<WhistleDetail>(`/whistles/${id}/acknowledge`, body),
  progress: (id: string, body: WhistleNoteBody) => api.post<WhistleDetail>(`/whistles/${id}/progress`, body),
  resolve: (id: string, body: WhistleNoteBody) => api.post<WhistleDetail>(`/whistles/${id}/resolve`, body),
  confirm: (id: string, body: ConfirmWhistleBody) => api.post<WhistleDetail>(`/whistles/${id}/confirm`, body),
  reopen: (id: string, body: WhistleNoteBody) => api.post<WhistleDetail>(`/whistles/${id}/reopen`, body),
  reroute: (id: string, body: RerouteWhistleBody) => api.post<WhistleDetail>(`/whistles/${id}/reroute`, body),
  upload: (id: string, file: File, stage: 'raise' | 'progress' | 'resolve') => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<WhistleDetail>('POST', `/whistles/${id}/files`, { form, query: { stage } });
  },
  fileUrl: (id: string, fileId: string) => `/api/whistles/${id}/files/${fileId}`,
};

/** 12345-style figures (/api/performance). */
export const performanceApi = {
  report: (query: PerformanceQuery, signal?: AbortSignal) => api.get<PerformanceReport>('/performance', q(query), signal),
  exportUrl: (query: PerformanceQuery) => `/api/performance/export${toSearch(q(query))}`,
};
