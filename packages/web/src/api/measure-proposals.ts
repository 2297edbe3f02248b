import type { Exemption, ImposeProposalsBody, ImposeProposalsResult, MeasureProposal, MeasureProposalList, MeasureProposalQuery } from '@gridline/shared';
import { api, type Query } from './client';

export type { ImposeProposalsResult, MeasureProposal };

/** Measures proposed from confirmed contacts, bulk imposition, and a measure's exemptions (issue #7). */
export const measureProposalsApi = {
  list: (query: MeasureProposalQuery, signal?: AbortSignal) => api.get<MeasureProposalList>('/measures/proposals', query as Query, signal),
  impose: (body: ImposeProposalsBody) => api.post<ImposeProposalsResult>('/measures/proposals/impose', body),
  exemptions: (measureId: string, signal?: AbortSignal) => api.get<Exemption[]>(`/measures/${measureId}/exemptions`, undefined, signal),
};
