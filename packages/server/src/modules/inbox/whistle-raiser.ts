import type { WhistleCategory, WhistleUrgency } from '@gridline/shared';
import type { Scope } from '../../security/scope.js';

/** What the inbox asks of the whistles module (services.whistles.raise): the narrow seam between the two. */
export interface RaiseWhistleInput {
  category: WhistleCategory;
  urgency: WhistleUrgency;
  title: string;
  description: string;
  regionCode: string;
  address?: string;
  lat?: number;
  lng?: number;
  source: 'inbox';
  inboxItemId: string;
  departmentId?: string;
}

export interface WhistleRaiser {
  raise(scope: Scope, input: RaiseWhistleInput): Promise<{ id: string; no: string; departmentId: string | null }>;
}
