import type {
  CheckInResult, Checkpoint, CheckpointDecision, CreateDeviceBody, CreateExemptionBody, CreatePlaceBody, DecisionBody, DecisionListQuery, DecisionPage, Device,
  DevicePlace, DeviceRejection, DeviceWithToken, Exemption, ExemptionListQuery, ExemptionPage, PersonalCode, Place, PlaceListQuery, PlacePage, PublicPlace,
  Scan, ScanListQuery, ScanPage, UpdateDeviceBody, UpdatePlaceBody, VisitorCheckInBody,
} from '@gridline/shared';
import { api, request, type Query } from './client';

export type {
  CheckInResult, Checkpoint, CheckpointDecision, Device, DevicePlace, DeviceRejection, DeviceWithToken, Exemption, PersonalCode, Place, PlaceListQuery,
  PublicPlace, Scan,
};

const q = (o: object): Query => o as Query;

/** The poster's download address (the browser downloads it with the session cookie). */
export function posterUrl(id: string, format: 'pdf' | 'png'): string {
  return `/api/places/${id}/poster?format=${format}`;
}

export const placesApi = {
  list: (query: PlaceListQuery, signal?: AbortSignal) => api.get<PlacePage>('/places', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<Place>(`/places/${id}`, undefined, signal),
  create: (body: CreatePlaceBody) => api.post<Place>('/places', body),
  update: (id: string, body: UpdatePlaceBody) => api.patch<Place>(`/places/${id}`, body),
  scans: (id: string, query: ScanListQuery, signal?: AbortSignal) => api.get<ScanPage>(`/places/${id}/scans`, q(query), signal),
};

/** The public scan page (/p/:code): no session needed except for a resident's one-tap check-in. */
export const placeCodeApi = {
  get: (code: string, signal?: AbortSignal) => request<PublicPlace>('GET', `/place-codes/${code}`, { signal, quietAuth: true }),
  checkIn: (code: string) => request<CheckInResult>('POST', `/place-codes/${code}/check-in`, { body: {} }),
  visit: (code: string, body: VisitorCheckInBody) => request<CheckInResult>('POST', `/place-codes/${code}/visit`, { body, quietAuth: true }),
};

export const personalCodeApi = {
  mine: () => api.post<PersonalCode>('/me/personal-code', {}),
};

export const checkpointsApi = {
  list: (signal?: AbortSignal) => api.get<Checkpoint[]>('/checkpoints', undefined, signal),
  decide: (id: string, body: DecisionBody) => api.post<CheckpointDecision>(`/checkpoints/${id}/decisions`, body),
  decisions: (id: string, query: DecisionListQuery, signal?: AbortSignal) => api.get<DecisionPage>(`/checkpoints/${id}/decisions`, q(query), signal),
};

export const exemptionsApi = {
  list: (query: ExemptionListQuery, signal?: AbortSignal) => api.get<ExemptionPage>('/exemptions', q(query), signal),
  create: (body: CreateExemptionBody) => api.post<Exemption>('/exemptions', body),
  revoke: (id: string, reason: string) => api.post<Exemption>(`/exemptions/${id}/revoke`, { reason }),
};

export const devicesApi = {
  list: (signal?: AbortSignal) => api.get<Device[]>('/devices', undefined, signal),
  places: (signal?: AbortSignal) => api.get<DevicePlace[]>('/devices/places', undefined, signal),
  create: (body: CreateDeviceBody) => api.post<DeviceWithToken>('/devices', body),
  update: (id: string, body: UpdateDeviceBody) => api.patch<Device>(`/devices/${id}`, body),
  replaceToken: (id: string) => api.post<DeviceWithToken>(`/devices/${id}/token`, {}),
  rejections: (id: string, signal?: AbortSignal) => api.get<DeviceRejection[]>(`/devices/${id}/rejections`, undefined, signal),
};
