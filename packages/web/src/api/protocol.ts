import type { CreateProtocolVersionBody, ProtocolDiff, ProtocolVersionDetail, ProtocolVersionList } from '@gridline/shared';
import { api } from './client';

export type { ProtocolDiff, ProtocolVersionDetail, ProtocolVersionList };

/** Protocol versions (/api/protocol/versions): list, detail with its diff, a diff against any version, a new version. */
export const protocolApi = {
  list: (signal?: AbortSignal) => api.get<ProtocolVersionList>('/protocol/versions', undefined, signal),
  get: (id: string, signal?: AbortSignal) => api.get<ProtocolVersionDetail>(`/protocol/versions/${id}`, undefined, signal),
  diff: (id: string, against: string, signal?: AbortSignal) => api.get<ProtocolDiff>(`/protocol/versions/${id}/diff`, { against }, signal),
  create: (body: CreateProtocolVersionBody) => api.post<ProtocolVersionDetail>('/protocol/versions', body),
};
