import type { AreaControl, AreaControlList, AreaStepDownResult } from '@gridline/shared';
import { api } from './client';

export type { AreaControl, AreaStepDownResult };

/** Area controls in force, their lifting rule and step-downs (/api/measures/areas). */
export const measureAreasApi = {
  list: (signal?: AbortSignal) => api.get<AreaControlList>('/measures/areas', undefined, signal),
  stepDown: (id: string, version: number) => api.post<AreaStepDownResult>(`/measures/areas/${id}/step-down`, { version }),
};
