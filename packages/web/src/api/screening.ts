import type {
  AbnormalPage, AbnormalQuery, AssignWorkersBody, Campaign, CampaignGrid, CampaignListQuery, CampaignMap, CampaignPage, CampaignProgress, CreateCampaignBody,
  FieldHousehold, FieldHouseholds, FollowUpPage, FollowUpQuery, Job, ResolveConflictBody, RevisitList, UpdateCampaignBody, Visit, VisitBody, VisitListQuery, VisitPage,
} from '@gridline/shared';
import { api, type Query } from './client';
import type { StaticOf } from './endpoints';

/** The screening module's endpoints (campaigns, progress, the field list, visits). */
export type CampaignPageT = StaticOf<typeof CampaignPage>;
export type FollowUpPageT = StaticOf<typeof FollowUpPage>;
export type AbnormalPageT = StaticOf<typeof AbnormalPage>;
export type VisitPageT = StaticOf<typeof VisitPage>;
export type {
  Campaign, CampaignGrid, CampaignMap, CampaignProgress, CreateCampaignBody, FieldHousehold, FieldHouseholds, RevisitList, UpdateCampaignBody, Visit, VisitBody,
};

const q = (o: object): Query => o as Query;
const base = '/screening/campaigns';

export const screeningApi = {
  list: (query: CampaignListQuery, signal?: AbortSignal) => api.get<CampaignPageT>(base, q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<Campaign>(`${base}/${id}`, undefined, signal),
  create: (body: CreateCampaignBody) => api.post<Campaign>(base, body),
  update: (id: string, body: UpdateCampaignBody) => api.patch<Campaign>(`${base}/${id}`, body),
  activate: (id: string, version: number) => api.post<Campaign>(`${base}/${id}/activate`, { version }),
  close: (id: string, version: number) => api.post<Campaign>(`${base}/${id}/close`, { version }),
  grids: (id: string, signal?: AbortSignal) => api.get<CampaignGrid[]>(`${base}/${id}/grids`, undefined, signal),
  assign: (id: string, grid: string, body: AssignWorkersBody) => api.put<CampaignGrid>(`${base}/${id}/grids/${grid}/workers`, body),
  progress: (id: string, signal?: AbortSignal) => api.get<CampaignProgress>(`${base}/${id}/progress`, undefined, signal),
  map: (id: string, signal?: AbortSignal) => api.get<CampaignMap>(`${base}/${id}/map`, undefined, signal),
  followUp: (id: string, query: FollowUpQuery, signal?: AbortSignal) => api.get<FollowUpPageT>(`${base}/${id}/follow-up`, q(query), signal),
  abnormal: (id: string, query: AbnormalQuery, signal?: AbortSignal) => api.get<AbnormalPageT>(`${base}/${id}/abnormal`, q(query), signal),
  exportReport: (id: string) => api.post<Job>(`${base}/${id}/export`, {}),
  /** The households of my assigned grids (or of one grid), for the offline list. */
  households: (id: string, grid?: string, signal?: AbortSignal) => api.get<FieldHouseholds>(`${base}/${id}/households`, q({ grid }), signal),
  visit: (body: VisitBody, signal?: AbortSignal) => api.post<Visit>('/screening/visits', body, { signal }),
  myVisits: (query: VisitListQuery, signal?: AbortSignal) => api.get<VisitPageT>('/screening/visits', q(query), signal),
  resolve: (id: string, body: ResolveConflictBody) => api.post<Visit>(`/screening/visits/${id}/resolve`, body),
  revisits: (signal?: AbortSignal) => api.get<RevisitList>('/screening/revisits', undefined, signal),
};
