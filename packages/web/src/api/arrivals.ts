import type { Arrival, ArrivalListQuery, ArrivalRules, CreateArrivalBody, MyArrivalBody } from '@gridline/shared';
import { api, type Query } from './client';
import type { Page } from './endpoints';

export type { Arrival, ArrivalRules };

const q = (o: object): Query => o as Query;

/** Arrival reports (/api/arrivals), the protocol's levels on a date, and the portal's own reports (/api/me/arrivals). */
export const arrivalsApi = {
  rules: (date: string, signal?: AbortSignal) => api.get<ArrivalRules>('/arrivals/rules', { date }, signal),
  list: (query: ArrivalListQuery, signal?: AbortSignal) => api.get<Page<Arrival>>('/arrivals', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<Arrival>(`/arrivals/${id}`, undefined, signal),
  create: (body: CreateArrivalBody) => api.post<Arrival>('/arrivals', body),
  cancel: (id: string, reason: string) => api.post<Arrival>(`/arrivals/${id}/cancel`, { reason }),
  mine: (signal?: AbortSignal) => api.get<{ items: Arrival[] }>('/me/arrivals', undefined, signal),
  reportMine: (body: MyArrivalBody) => api.post<Arrival>('/me/arrivals', body),
};
