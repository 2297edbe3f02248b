import type {
  ClassifyBody, CreateInboxRuleBody, CreateInboxTokenBody, DirectReport, DismissBody, InboxItemDetail, InboxListQuery, InboxPage, InboxRule, IntakeResult, MarkReadBody,
  NotificationListQuery, NotificationPage, NotificationSettings, NotificationSettingsView, PortalSubmitBody, ReportListQuery, ReportPage, RouteBody, SendReportBody,
  UpdateInboxRuleBody, WhistleCategory, WhistleUrgency,
} from '@gridline/shared';
import { api, request, type Query } from './client';

const q = (o: object): Query => o as Query;

export interface RuleTest {
  category: WhistleCategory | null;
  urgency: WhistleUrgency;
  ruleName: string | null;
  matched: string[];
  confidence: 'high' | 'low' | 'none';
  autoRoute: boolean;
  candidates: { ruleId: string; ruleName: string; category: WhistleCategory; hits: string[] }[];
}

export interface InboxTokenT {
  id: string;
  nodeCode: string;
  name: string;
  channel: 'hotline' | 'robot';
  active: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  token?: string;
}

export interface PortalSubmissionT {
  id: string;
  receivedAt: number;
  category: WhistleCategory | null;
  text: string;
  status: 'new' | 'routed' | 'duplicate' | 'dismissed';
  whistleNo: string | null;
}

/** The one inbox (GET/POST /api/inbox…). */
export const inboxApi = {
  list: (query: InboxListQuery, signal?: AbortSignal) => api.get<InboxPage>('/inbox', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<InboxItemDetail>(`/inbox/${id}`, undefined, signal),
  classify: (id: string, body: ClassifyBody) => api.post<InboxItemDetail>(`/inbox/${id}/classify`, body),
  route: (id: string, body: RouteBody) => api.post<InboxItemDetail>(`/inbox/${id}/route`, body),
  dismiss: (id: string, body: DismissBody) => api.post<InboxItemDetail>(`/inbox/${id}/dismiss`, body),
  rules: (signal?: AbortSignal) => api.get<InboxRule[]>('/inbox/rules', undefined, signal),
  createRule: (body: CreateInboxRuleBody) => api.post<InboxRule>('/inbox/rules', body),
  updateRule: (id: string, body: UpdateInboxRuleBody) => api.patch<InboxRule>(`/inbox/rules/${id}`, body),
  deleteRule: (id: string) => api.del<{ ok: true }>(`/inbox/rules/${id}`),
  testRules: (text: string) => api.post<RuleTest>('/inbox/rules/test', { text }),
  importHotline: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<IntakeResult>('POST', '/inbox/hotline/import', { form });
  },
  tokens: (signal?: AbortSignal) => api.get<InboxTokenT[]>('/inbox/tokens', undefined, signal),
  createToken: (body: CreateInboxTokenBody) => api.post<InboxTokenT & { token: string }>('/inbox/tokens', body),
  disableToken: (id: string) => api.post<InboxTokenT>(`/inbox/tokens/${id}/disable`),
  myRequests: (signal?: AbortSignal) => api.get<PortalSubmissionT[]>('/me/requests', undefined, signal),
  submit: (body: PortalSubmitBody) => api.post<PortalSubmissionT>('/me/requests', body),
};

/** My notifications (the bell) and settings. */
export const notificationsApi = {
  list: (query: NotificationListQuery, signal?: AbortSignal) => api.get<NotificationPage>('/notifications', q(query), signal),
  unread: (signal?: AbortSignal) => api.get<{ unread: number }>('/notifications/unread', undefined, signal, true),
  markRead: (body: MarkReadBody) => api.post<{ marked: number; unread: number }>('/notifications/read', body),
  settings: (signal?: AbortSignal) => api.get<NotificationSettingsView>('/notifications/settings', undefined, signal),
  saveSettings: (body: NotificationSettings) => api.put<NotificationSettingsView>('/notifications/settings', body),
};

/** 直报. */
export const reportsApi = {
  send: (body: SendReportBody) => api.post<DirectReport>('/reports', body),
  sent: (query: ReportListQuery, signal?: AbortSignal) => api.get<ReportPage>('/reports/sent', q(query), signal),
  received: (query: ReportListQuery, signal?: AbortSignal) => api.get<ReportPage>('/reports/received', q(query), signal),
  get: (id: string, signal?: AbortSignal) => api.get<DirectReport>(`/reports/${id}`, undefined, signal),
  markRead: (id: string) => api.post<DirectReport>(`/reports/${id}/read`),
};

export interface WebhookT {
  id: string;
  nodeCode: string;
  name: string;
  url: string;
  kinds: string[];
  active: boolean;
  createdAt: number;
}
export interface WebhookDeliveryT {
  id: string;
  kind: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  log: { attempt: number; at: number; statusCode: number | null; error: string | null; durationMs: number }[];
}

/** Outgoing webhook subscriptions of my jurisdiction. */
export const webhooksApi = {
  list: (signal?: AbortSignal) => api.get<WebhookT[]>('/webhooks', undefined, signal),
  create: (body: { name: string; url: string; secret: string; kinds?: string[] }) => api.post<WebhookT>('/webhooks', body),
  update: (id: string, body: { active?: boolean; kinds?: string[]; name?: string; url?: string }) => api.patch<WebhookT>(`/webhooks/${id}`, body),
  remove: (id: string) => api.del<{ ok: true }>(`/webhooks/${id}`),
  deliveries: (id: string, signal?: AbortSignal) => api.get<WebhookDeliveryT[]>(`/webhooks/${id}/deliveries`, undefined, signal),
};
