import type {
  CreateMonitoringBody, HealthFlag, HealthMonitoring, HealthReport, HealthReportBody, HealthReportListQuery, HealthReportResult, HealthSummary, MissingQuery,
  MissingReporter, MonitoringListQuery, MyHealthReportBody, MyHealthToday,
} from '@gridline/shared';
import { api, type Query } from './client';
import type { Page } from './endpoints';

export type { HealthFlag, HealthMonitoring, HealthReport, HealthReportResult, HealthSummary, MissingReporter, MyHealthToday };

const q = (o: object): Query => o as Query;

/** Health reports, monitoring, the missing list and flags (/api/health/…), and the portal's own report (/api/me/health). */
export const healthApi = {
  reports: (query: HealthReportListQuery, signal?: AbortSignal) => api.get<Page<HealthReport>>('/health/reports', q(query), signal),
  report: (body: HealthReportBody) => api.post<HealthReportResult>('/health/reports', body),
  protocol: (signal?: AbortSignal) => api.get<MyHealthToday['protocol']>('/health/protocol', undefined, signal),
  summary: (node: string | undefined, signal?: AbortSignal) => api.get<HealthSummary>('/health/summary', q({ node }), signal),
  missing: (query: MissingQuery, signal?: AbortSignal) => api.get<Page<MissingReporter>>('/health/missing', q(query), signal),
  flags: (ids: string[], signal?: AbortSignal) => api.get<{ items: HealthFlag[] }>('/health/flags', q({ ids }), signal),
  monitoring: (query: MonitoringListQuery, signal?: AbortSignal) => api.get<Page<HealthMonitoring>>('/health/monitoring', q(query), signal),
  addMonitoring: (body: CreateMonitoringBody) => api.post<HealthMonitoring>('/health/monitoring', body),
  endMonitoring: (id: string, note: string) => api.post<HealthMonitoring>(`/health/monitoring/${id}/end`, { note }),
  myToday: (signal?: AbortSignal) => api.get<MyHealthToday>('/me/health', undefined, signal),
  reportMine: (body: MyHealthReportBody) => api.put<HealthReportResult>('/me/health', body),
};
