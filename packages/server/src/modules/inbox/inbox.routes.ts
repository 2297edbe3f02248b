import multipart from '@fastify/multipart';
import {
  ClassifyBody, CreatedInboxToken, CreateInboxRuleBody, CreateInboxTokenBody, DismissBody, ErrorResponse, HotlinePushBody, Id, InboxItemDetail, InboxListQuery, InboxPage, InboxRule,
  InboxRules, InboxToken, InboxTokens, IntakeResult, Ok, PortalSubmission, PortalSubmissions, PortalSubmitBody, RegionCode, RobotBatchBody, RouteBody, RuleTestBody, RuleTestResult,
  UpdateInboxRuleBody,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import { AppError } from '../../lib/errors.js';
import { bearerToken } from '../devices/devices.routes.js';
import { MAX_HOTLINE_FILE_BYTES } from './hotline-import.js';
import type { InboxIntake } from './inbox-intake.js';
import type { InboxService } from './inbox.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export async function inboxRoutes(app: App, s: { inbox: InboxService; intake: InboxIntake }): Promise<void> {
  const { inbox, intake } = s;
  app.get('/api/inbox', {
    config: { access: 'inbox.read' },
    schema: { tags: ['inbox'], summary: 'Inbox items under my node (waiting first, newest first) with counts by status', querystring: InboxListQuery, response: { 200: InboxPage, ...errors } },
    handler: (req) => inbox.list(scopeOf(req), req.query),
  });
  app.get('/api/inbox/rules', {
    config: { access: 'inbox.read' },
    schema: { tags: ['inbox'], summary: 'Keyword rules in force for my node (those kept above it too)', response: { 200: InboxRules, ...errors } },
    handler: (req) => inbox.rules(scopeOf(req)),
  });
  app.post('/api/inbox/rules', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Add a keyword rule (audited)', body: CreateInboxRuleBody, response: { 201: InboxRule, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await inbox.createRule(scopeOf(req), req.body)),
  });
  app.post('/api/inbox/rules/test', {
    config: { access: 'inbox.read' },
    schema: { tags: ['inbox'], summary: 'How the rules in force would classify a text (nothing stored)', body: RuleTestBody, response: { 200: RuleTestResult, ...errors } },
    handler: (req) => inbox.testRules(scopeOf(req), req.body.text, req.body.node),
  });
  app.patch('/api/inbox/rules/:id', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Change a keyword rule (audited, optimistic on version)', params, body: UpdateInboxRuleBody, response: { 200: InboxRule, ...errors } },
    handler: (req) => inbox.updateRule(scopeOf(req), req.params.id, req.body),
  });
  app.delete('/api/inbox/rules/:id', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Remove a keyword rule (audited)', params, response: { 200: Ok, ...errors } },
    handler: (req) => inbox.deleteRule(scopeOf(req), req.params.id),
  });
  app.get('/api/inbox/tokens', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Access tokens of the 12345 system and chat robots pushing into my inbox', response: { 200: InboxTokens, ...errors } },
    handler: (req) => intake.tokens(scopeOf(req)),
  });
  app.post('/api/inbox/tokens', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Create an access token (shown once; audited)', body: CreateInboxTokenBody, response: { 201: CreatedInboxToken, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await intake.createToken(scopeOf(req), req.body)),
  });
  app.post('/api/inbox/tokens/:id/disable', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Disable an access token (audited)', params, response: { 200: InboxToken, ...errors } },
    handler: (req) => intake.disableToken(scopeOf(req), req.params.id),
  });
  app.get('/api/inbox/:id', {
    config: { access: 'inbox.read' },
    schema: { tags: ['inbox'], summary: 'One inbox item with its photo and the duplicates linked to it', params, response: { 200: InboxItemDetail, ...errors } },
    handler: (req) => inbox.get(scopeOf(req), req.params.id),
  });
  app.post('/api/inbox/:id/classify', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Set the category (and urgency) by hand (audited)', params, body: ClassifyBody, response: { 200: InboxItemDetail, ...errors } },
    handler: (req) => inbox.classify(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/inbox/:id/route', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Route the item as a whistle (吹哨) to the department the routing rules name, or the one chosen (audited)', params, body: RouteBody, response: { 200: InboxItemDetail, ...errors } },
    handler: (req) => inbox.route(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/inbox/:id/dismiss', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['inbox'], summary: 'Dismiss the item with a reason (audited)', params, body: DismissBody, response: { 200: InboxItemDetail, ...errors } },
    handler: (req) => inbox.dismiss(scopeOf(req), req.params.id, req.body),
  });

  // ---- systems that push (bearer tokens; no session) ----
  app.post('/api/inbox/hotline/tickets', {
    config: { access: 'public' },
    schema: {
      tags: ['inbox'],
      summary: '12345 system pushes tickets (Authorization: Bearer <hotline token>), answered item by item',
      description: 'Each ticket: { ticketNo, receivedAt ("2026-11-29 09:30" Asia/Shanghai or epoch ms), content, requester?, phone?, address?, type?, deadlineAt?, urgency? (一般/紧急/特急) }. A ticket number seen before is a duplicate; a bad ticket is rejected with a Chinese reason and the rest are kept.',
      body: HotlinePushBody,
      response: { 200: IntakeResult, ...errors },
    },
    handler: async (req) => intake.pushHotline(await intake.authenticate(bearerToken(req.headers.authorization), 'hotline'), req.body.tickets),
  });
  app.post('/api/inbox/robot', {
    config: { access: 'public' },
    schema: {
      tags: ['inbox'],
      summary: 'Chat-robot webhook (Authorization: Bearer <robot token>): a batch of messages, answered item by item',
      description: 'Accepted shapes: ours { id?, text, name?, phone?, address?, category?, at? }; WeCom { msgtype: "text", text: { content }, msgid, from }; DingTalk { msgtype: "text", text: { content }, msgId, senderNick }; Feishu event v2 (im.message.receive_v1, text). Other shapes and non-text messages are rejected with a reason; the rest of the batch is kept.',
      body: RobotBatchBody,
      response: { 200: IntakeResult, ...errors },
    },
    handler: async (req) => intake.robot(await intake.authenticate(bearerToken(req.headers.authorization), 'robot'), req.body.messages),
  });

  // ---- residents ----
  app.get('/api/me/requests', {
    config: { access: 'self.read' },
    schema: { tags: ['inbox'], summary: 'My requests and reports (我要反映) and how they stand', response: { 200: PortalSubmissions, ...errors } },
    handler: (req) => inbox.mySubmissions(scopeOf(req)),
  });
  app.post('/api/me/requests', {
    config: { access: 'self.write' },
    schema: { tags: ['inbox'], summary: 'Send a request or report to my community (我要反映), optionally with a photo', body: PortalSubmitBody, response: { 201: PortalSubmission, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await inbox.submitFromPortal(scopeOf(req), req.body)),
  });

  // ---- 12345 ticket files (multipart only here) ----
  await app.register(async (upload: App) => {
    await upload.register(multipart, { limits: { fileSize: MAX_HOTLINE_FILE_BYTES, files: 1, fields: 2, parts: 3 }, throwFileSizeLimit: false });
    upload.post('/api/inbox/hotline/import', {
      config: { access: 'inbox.manage' },
      schema: {
        tags: ['inbox'],
        summary: 'Import a 12345 ticket export (.csv UTF-8/GBK or .xlsx, ≤ 5 MB, multipart field "file") under my node or ?node=',
        description: 'Headers in Chinese (工单编号, 受理时间, 诉求人, 联系电话, 地址, 诉求内容, 诉求类型, 办理时限, 紧急程度). Good rows are stored; every bad row is reported with its row number and field in Chinese.',
        consumes: ['multipart/form-data'],
        querystring: Type.Object({ node: Type.Optional(RegionCode) }, { additionalProperties: false }),
        response: { 200: IntakeResult, ...errors, 413: ErrorResponse, 415: ErrorResponse },
      },
      handler: async (req) => {
        if (!req.isMultipart()) {
          throw new AppError('GRIDLINE_UNSUPPORTED_MEDIA_TYPE', { fields: [{ path: '/body/file', code: 'multipart', message: '请以 multipart/form-data 方式上传文件（字段名 file）' }] });
        }
        const part = await req.file().catch((err: unknown) => {
          throw new AppError('GRIDLINE_IMPORT_INVALID', { fields: [{ path: '/body/file', code: 'multipart', message: '上传的内容不完整或格式有误，请重新上传' }], cause: err });
        });
        if (!part) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/file', code: 'required', message: '请选择要导入的工单文件' }] });
        const bytes = await part.toBuffer();
        if (part.file.truncated) throw new AppError('GRIDLINE_PAYLOAD_TOO_LARGE', { fields: [{ path: '/body/file', code: 'too_large', message: '文件超过 5 MB，请分批导入' }] });
        return intake.importHotline(scopeOf(req), part.filename, bytes, req.query.node);
      },
    });
  });
}
