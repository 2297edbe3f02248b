import multipart from '@fastify/multipart';
import { ErrorResponse, Id, ImportAnalysis, Job, RunImportBody } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import { AppError } from '../../lib/errors.js';
import { MAX_IMPORT_BYTES, type ImportsService } from './imports.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse };

export async function importsRoutes(app: App, imports: ImportsService): Promise<void> {
  // Multipart is accepted here only: an encapsulated context with its own parser and limits.
  await app.register(async (upload: App) => {
    await upload.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, parts: 6 }, throwFileSizeLimit: false });
    upload.post('/api/imports/residents', {
      config: { access: 'resident.write' },
      schema: {
        tags: ['imports'],
        summary: 'Upload a resident list (.xlsx or .csv in UTF-8 or GBK, ≤ 20 MB, multipart field "file"): detected headers, proposed mapping, sample',
        consumes: ['multipart/form-data'],
        response: { 201: ImportAnalysis, ...errors },
      },
      handler: async (req, reply) => {
        if (!req.isMultipart()) {
          throw new AppError('GRIDLINE_UNSUPPORTED_MEDIA_TYPE', { fields: [{ path: '/body/file', code: 'multipart', message: '请以 multipart/form-data 方式上传文件（字段名 file）' }] });
        }
        const part = await req.file().catch((err: unknown) => {
          throw new AppError('GRIDLINE_IMPORT_INVALID', { fields: [{ path: '/body/file', code: 'multipart', message: '上传的内容不完整或格式有误，请重新上传' }], cause: err });
        });
        if (!part) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/file', code: 'required', message: '请选择要导入的文件' }] });
        return reply.status(201).send(await imports.upload(scopeOf(req), part.filename, part.file));
      },
    });
  });
  app.post('/api/imports/:id/run', {
    config: { access: 'resident.write' },
    schema: {
      tags: ['imports'], summary: 'Run an uploaded import (or a dry run) with a column mapping; returns the background job', params: Type.Object({ id: Id }),
      body: RunImportBody, response: { 202: Job, ...errors },
    },
    handler: async (req, reply) => reply.status(202).send(await imports.run(scopeOf(req), req.params.id, req.body)),
  });
}
