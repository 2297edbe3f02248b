import type { IsolationSite, IsolationSiteBody, IsolationSiteDetail, IsolationSiteList, IsolationSitePatch } from '@gridline/shared';
import { api } from './client';

export type { IsolationSite, IsolationSiteDetail };

/** Designated isolation sites with capacity and places in use (/api/measures/sites). */
export const measureSitesApi = {
  list: (includeInactive: boolean, signal?: AbortSignal) => api.get<IsolationSiteList>('/measures/sites', includeInactive ? { includeInactive: true } : undefined, signal),
  get: (id: string, signal?: AbortSignal) => api.get<IsolationSiteDetail>(`/measures/sites/${id}`, undefined, signal),
  create: (body: IsolationSiteBody) => api.post<IsolationSite>('/measures/sites', body),
  update: (id: string, body: IsolationSitePatch) => api.patch<IsolationSite>(`/measures/sites/${id}`, body),
};
