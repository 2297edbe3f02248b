import crypto from 'node:crypto';
import { normalAnswers, type Campaign, type FieldHouseholds, type Questionnaire, type Visit, type VisitBody } from '@gridline/shared';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, TEST_PASSWORD, type TestApp } from './harness.js';

/** Helpers the screening tests share: side-B staff, campaigns started through the API, visits. */
const sys = Scope.system('screening-test');

export async function staff(t: TestApp, username: string, role: 'command' | 'grid_worker' | 'community_worker', nodeCode: string): Promise<string> {
  await t.ctx.services.users.create(sys, { username, displayName: `${username}显示名`, role, nodeCode, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', username).execute();
  return t.login(username);
}

export async function call(t: TestApp, cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url, headers: { cookie }, ...(payload !== undefined ? { payload } : {}) });
}

export async function ok<T>(res: LightMyRequestResponse | Promise<LightMyRequestResponse>, status = 200): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json<T>();
}

/** A campaign drafted on `node` and started, by a user who may manage it. */
export async function startedCampaign(t: TestApp, cookie: string, node: string, extra: { name?: string; questionnaire?: Questionnaire } = {}): Promise<Campaign> {
  const draft = await ok<Campaign>(call(t, cookie, 'POST', '/api/screening/campaigns', { name: extra.name ?? '第一轮入户排查', nodeCode: node, startsOn: '2026-11-29', endsOn: '2026-12-05', ...(extra.questionnaire ? { questionnaire: extra.questionnaire } : {}) }), 201);
  return ok<Campaign>(call(t, cookie, 'POST', `/api/screening/campaigns/${draft.id}/activate`, { version: draft.version }));
}

export async function fieldList(t: TestApp, cookie: string, campaignId: string, grid?: string): Promise<FieldHouseholds> {
  return ok<FieldHouseholds>(call(t, cookie, 'GET', `/api/screening/campaigns/${campaignId}/households${grid ? `?grid=${grid}` : ''}`));
}

/** A visit body for a household as the field list shows it: everyone home and well unless told otherwise. */
export function visitBody(c: Campaign, h: FieldHouseholds['households'][number], over: Partial<VisitBody> = {}): VisitBody {
  const normal = normalAnswers(c.questionnaire);
  return {
    clientKey: crypto.randomUUID(), campaignId: c.id, householdId: h.id, baseVersion: h.version, outcome: 'visited', visitedAt: Date.UTC(2026, 10, 29, 2, 0, 0),
    results: h.members.map((m) => ({ residentId: m.id, answers: { ...normal } })), ...over,
  };
}

export async function visit(t: TestApp, cookie: string, body: VisitBody): Promise<Visit> {
  return ok<Visit>(call(t, cookie, 'POST', '/api/screening/visits', body));
}

export const SIDE_B = { command: 'b_command', grid: 'b_grid' } as const;

/** Side B's own campaign and grid worker (to show that side A gets nothing of it). */
export async function sideBCampaign(t: TestApp): Promise<{ campaign: Campaign; command: string; grid: string }> {
  const command = await staff(t, SIDE_B.command, 'command', CODES.streetB);
  const grid = await staff(t, SIDE_B.grid, 'grid_worker', CODES.gridB);
  const campaign = await startedCampaign(t, command, CODES.streetB, { name: '乙方排查' });
  return { campaign, command, grid };
}
