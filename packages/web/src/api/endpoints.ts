import type {
  AuditEvent, AuditListQuery, AuditPage, AuditVerifyResult, BoundaryImportBody, BoundaryImportResult, ChangePasswordBody, ClientConfig,
  CreateHouseholdBody, CreateResidentBody, CreateUserBody, DuplicateGroups, ExportResidentsBody, Household, HouseholdMove, ImportAnalysis,
  Job, JobList, Me, MergeResidentBody, RegionMap, RegionNodeDetail, ResetPasswordResult, Resident, ResidentListQuery, ResidentPage,
  RunImportBody, SearchResult, UnitHousehold, UnmaskedResident, UpdateResidentBody, UpdateUserBody, User, UserListQuery, UserPage,
} from '@gridline/shared';
import { api, request, type Query } from './client';

/** The static type of a TypeBox schema exported by @gridline/shared (without depending on TypeBox here). */
export type StaticOf<T extends { static: unknown }> = T['static'];

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
export type ResidentPageT = StaticOf<typeof ResidentPage>;
export type UserPageT = StaticOf<typeof UserPage>;
export type AuditPageT = StaticOf<typeof AuditPage>;
export type JobListT = StaticOf<typeof JobList>;
export type UnmaskedResidentT = StaticOf<typeof UnmaskedResident>;
export type ResetPasswordResultT = StaticOf<typeof ResetPasswordResult>;
export type ResidentFilters = Omit<ResidentListQuery, 'page' | 'pageSize'>;

export type {
  AuditEvent, AuditListQuery, AuditVerifyResult, BoundaryImportBody, BoundaryImportResult, ClientConfig, CreateResidentBody, CreateUserBody,
  DuplicateGroups, ExportResidentsBody, Household, HouseholdMove, ImportAnalysis, Job, Me, RegionMap, RegionNodeDetail, Resident,
  ResidentListQuery, RunImportBody, SearchResult, UnitHousehold, UpdateResidentBody, UpdateUserBody, User, UserListQuery,
};

const q = (o: object): Query => o as Query;

export const authApi = {
  login: (username: string, password: string) =>
    request<{ ok: true; expiresAt: number }>('POST', '/auth/login', { body: { username, password }, quietAuth: true }),
  logout: () => api.post<{ ok: true }>('/auth/logout', {}, { quietAuth: true }),
  me: (signal?: AbortSignal) => api.get<Me>('/auth/me', undefined, signal, true),
  changePassword: (body: ChangePasswordBody) => api.post<{ ok: true }>('/auth/password', body),
};

export const systemApi = {
  /** `{ version, tileUrl, tileAttribution }`. */
  config: (signal?: AbortSignal) => api.get<ClientConfig>('/config', undefined, signal),
};

export const regionsApi = {
  mine: (signal?: AbortSignal) => api.get<RegionNodeDetail>('/regions', undefined, signal),
  get: (code: string, signal?: AbortSignal) => api.get<RegionNodeDetail>(`/regions/${code}`, undefined, signal),
  /** The node and its children with boundaries as GeoJSON. */
  map: (code: string, signal?: AbortSignal) => api.get<RegionMap>(`/regions/${code}/map`, undefined, signal),
  /** Import grid/building boundaries. */
  importBoundaries: (body: BoundaryImportBody) => api.post<BoundaryImportResult>('/regions/boundaries', body),
  /** A unit's households with member counts, empty ones included. */
  households: (unitCode: string, signal?: AbortSignal) => api.get<UnitHousehold[]>(`/regions/${unitCode}/households`, undefined, signal),
};

export const residentsApi = {
  list: (query: ResidentListQuery, signal?: AbortSignal) => api.get<ResidentPageT>('/residents', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<Resident>(`/residents/${id}`, undefined, signal),
  create: (body: CreateResidentBody) => api.post<Resident>('/residents', body),
  update: (id: string, body: UpdateResidentBody) => api.patch<Resident>(`/residents/${id}`, body),
  remove: (id: string) => api.del<{ ok: true }>(`/residents/${id}`),
  unmask: (id: string, purpose: string) => api.post<UnmaskedResidentT>(`/residents/${id}/unmask`, { purpose }),
  duplicates: (node: string | undefined, signal?: AbortSignal) => api.get<DuplicateGroups>('/residents/duplicates', q({ node }), signal),
  merge: (id: string, body: MergeResidentBody) => api.post<Resident>(`/residents/${id}/merge`, body),
};

export const householdsApi = {
  get: (id: string, signal?: AbortSignal) => api.get<Household>(`/households/${id}`, undefined, signal),
  history: (id: string, signal?: AbortSignal) => api.get<HouseholdMove[]>(`/households/${id}/history`, undefined, signal),
  create: (body: CreateHouseholdBody) => api.post<Household>('/households', body),
};

export const searchApi = {
  search: (text: string, signal?: AbortSignal) => api.get<SearchResult>('/search', { q: text }, signal),
};

export const usersApi = {
  list: (query: UserListQuery, signal?: AbortSignal) => api.get<UserPageT>('/users', q(query), signal),
  create: (body: CreateUserBody) => api.post<User>('/users', body),
  update: (id: string, body: UpdateUserBody) => api.patch<User>(`/users/${id}`, body),
  resetPassword: (id: string) => api.post<ResetPasswordResultT>(`/users/${id}/reset-password`, {}),
};

export const auditApi = {
  events: (query: AuditListQuery, signal?: AbortSignal) => api.get<AuditPageT>('/audit/events', q(query), signal),
  verify: () => api.get<AuditVerifyResult>('/audit/verify'),
};

export const jobsApi = {
  /** My recent jobs. */
  list: (signal?: AbortSignal) => api.get<JobListT>('/jobs', undefined, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Job>(`/jobs/${id}`, undefined, signal),
  downloadUrl: (id: string) => `/api/jobs/${id}/download`,
};

export const importsApi = {
  /** Multipart upload (field `file`) → analysis. */
  upload: (file: File, signal?: AbortSignal) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<ImportAnalysis>('POST', '/imports/residents', { form, signal });
  },
  run: (id: string, body: RunImportBody) => api.post<Job>(`/imports/${id}/run`, body),
};

export const exportsApi = {
  residents: (body: ExportResidentsBody) => api.post<Job>('/exports/residents', body),
};

export const portalApi = {
  household: (signal?: AbortSignal) => api.get<Household>('/me/household', undefined, signal),
  resident: (signal?: AbortSignal) => api.get<Resident>('/me/resident', undefined, signal),
  changePhone: (phone: string) => api.put<Resident>('/me/phone', { phone }),
};
