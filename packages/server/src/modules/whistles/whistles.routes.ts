import fs from 'node:fs';
import multipart from '@fastify/multipart';
import {
  AcknowledgeWhistleBody, ConfirmWhistleBody, ErrorResponse, Id, RaisedWhistle, RaiseWhistleBody, RerouteWhistleBody, StringEnum, WhistleDetail, WhistleListQuery, WhistleNoteBody, WhistlePage,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import { AppError } from '../../lib/errors.js';
import { contentDisposition } from '../jobs/job-files.js';
import { MAX_WHISTLE_FILE_BYTES, type WhistlesService } from './whistles.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse };
const params = Type.Object({ id: Id });

export async function whistlesRoutes(app: App, whistles: WhistlesService): Promise<void> {
  app.get('/api/whistles', {
    config: { access: 'whistle.read' },
    schema: {
      tags: ['whistles'], summary: 'Whistles I may see (my jurisdiction’s; department staff: routed or co-assigned to my department), open first, with counts',
      querystring: WhistleListQuery, response: { 200: WhistlePage, ...errors },
    },
    handler: (req) => whistles.list(scopeOf(req), req.query),
  });
  app.post('/api/whistles', {
    config: { access: 'whistle.raise' },
    schema: { tags: ['whistles'], summary: 'Blow a whistle: routed by the rules (or to the department named by the desk), deadlines set (audited)', body: RaiseWhistleBody, response: { 201: RaisedWhistle, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await whistles.raise(scopeOf(req), { ...req.body, source: 'worker' })),
  });
  app.get('/api/whistles/:id', {
    config: { access: 'whistle.read' },
    schema: { tags: ['whistles'], summary: 'One whistle with its timeline, files and the actions open to me', params, response: { 200: WhistleDetail, ...errors } },
    handler: (req) => whistles.get(scopeOf(req), req.params.id),
  });
  app.post('/api/whistles/:id/acknowledge', {
    config: { access: 'whistle.handle' },
    schema: { tags: ['whistles'], summary: 'The lead department acknowledges (签收) (audited)', params, body: AcknowledgeWhistleBody, response: { 200: WhistleDetail, ...errors } },
    handler: (req) => whistles.acknowledge(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/whistles/:id/progress', {
    config: { access: 'whistle.handle' },
    schema: { tags: ['whistles'], summary: 'A progress note from the lead or a co-assigned department (audited)', params, body: WhistleNoteBody, response: { 200: WhistleDetail, ...errors } },
    handler: (req) => whistles.progress(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/whistles/:id/resolve', {
    config: { access: 'whistle.handle' },
    schema: { tags: ['whistles'], summary: 'The lead department reports resolution with evidence; the community then rates it (audited)', params, body: WhistleNoteBody, response: { 200: WhistleDetail, ...errors } },
    handler: (req) => whistles.resolve(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/whistles/:id/confirm', {
    config: { access: 'whistle.raise' },
    schema: { tags: ['whistles'], summary: 'The raising community confirms and rates (满意/基本满意/不满意, solved or not): closed (audited)', params, body: ConfirmWhistleBody, response: { 200: WhistleDetail, ...errors } },
    handler: (req) => whistles.confirm(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/whistles/:id/reopen', {
    config: { access: 'whistle.raise' },
    schema: { tags: ['whistles'], summary: 'The community sends it back to the department with a reason (audited)', params, body: WhistleNoteBody, response: { 200: WhistleDetail, ...errors } },
    handler: (req) => whistles.reopen(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/whistles/:id/reroute', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['whistles'], summary: '改派: another department, or the street command (null), with a reason (audited)', params, body: RerouteWhistleBody, response: { 200: WhistleDetail, ...errors } },
    handler: (req) => whistles.reroute(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/whistles/:id/files/:fileId', {
    config: { access: 'whistle.read' },
    schema: {
      tags: ['whistles'], summary: 'A photo or document of a whistle', params: Type.Object({ id: Id, fileId: Id }),
      response: { 200: Type.Unsafe<fs.ReadStream>({ type: 'string', format: 'binary' }), ...errors },
    },
    handler: async (req, reply) => {
      const f = await whistles.file(scopeOf(req), req.params.id, req.params.fileId);
      reply.header('content-type', f.mime);
      reply.header('content-disposition', contentDisposition(f.fileName).replace(/^attachment/, f.mime.startsWith('image/') ? 'inline' : 'attachment'));
      reply.header('cache-control', 'private, max-age=3600');
      return reply.send(fs.createReadStream(f.path));
    },
  });
  // Multipart only here: an encapsulated context with its own limits (one file per request).
  await app.register(async (upload: App) => {
    await upload.register(multipart, { limits: { fileSize: MAX_WHISTLE_FILE_BYTES, files: 1, fields: 2, parts: 3 }, throwFileSizeLimit: false });
    upload.post('/api/whistles/:id/files', {
      config: { access: 'whistle.read' },
      schema: {
        tags: ['whistles'], summary: `Attach a photo or document (multipart field "file", ≤ ${MAX_WHISTLE_FILE_BYTES / 1024 / 1024} MB; JPG/PNG/WebP/GIF/HEIC/PDF/DOCX/XLSX/TXT) at a stage (audited)`,
        consumes: ['multipart/form-data'], params,
        querystring: Type.Object({ stage: Type.Optional(StringEnum(['raise', 'progress', 'resolve'] as const)) }, { additionalProperties: false }),
        response: { 201: WhistleDetail, ...errors },
      },
      handler: async (req, reply) => {
        if (!req.isMultipart()) {
          throw new AppError('GRIDLINE_UNSUPPORTED_MEDIA_TYPE', { fields: [{ path: '/body/file', code: 'multipart', message: '请以 multipart/form-data 方式上传文件（字段名 file）' }] });
        }
        const part = await req.file().catch((err: unknown) => {
          throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/file', code: 'multipart', message: '上传的内容不完整或格式有误，请重新上传' }], cause: err });
        });
        if (!part) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/file', code: 'required', message: '请选择要上传的照片或文件' }] });
        const detail = await whistles.addFile(scopeOf(req), req.params.id, { fileName: part.filename, mime: part.mimetype, stream: part.file }, req.query.stage ?? 'raise');
        return reply.status(201).send(detail);
      },
    });
  });
}
