import { CreateDeviceBody, Device, DevicePlace, DeviceRejection, DeviceWithToken, ErrorResponse, Id, IngestBody, IngestResult, UpdateDeviceBody } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { DevicesService } from './devices.service.js';
import type { IngestService } from './ingest.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function bearerToken(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : '';
}

export function devicesRoutes(app: App, s: { devices: DevicesService; ingest: IngestService }): void {
  const { devices, ingest } = s;
  app.get('/api/devices', {
    config: { access: 'device.manage' },
    schema: { tags: ['devices'], summary: 'Gate devices bound to places under my node', response: { 200: Type.Array(Device), ...errors } },
    handler: (req) => devices.list(scopeOf(req)),
  });
  app.get('/api/devices/places', {
    config: { access: 'device.manage' },
    schema: { tags: ['devices'], summary: 'Places a device may be bound to (active, under my node)', response: { 200: Type.Array(DevicePlace), ...errors } },
    handler: (req) => devices.places(scopeOf(req)),
  });
  app.post('/api/devices', {
    config: { access: 'device.manage' },
    schema: { tags: ['devices'], summary: 'Register a device; its token is in this response only (audited)', body: CreateDeviceBody, response: { 201: DeviceWithToken, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await devices.create(scopeOf(req), req.body)),
  });
  app.patch('/api/devices/:id', {
    config: { access: 'device.manage' },
    schema: { tags: ['devices'], summary: 'Rename, disable or enable a device (audited)', params, body: UpdateDeviceBody, response: { 200: Device, ...errors } },
    handler: (req) => devices.update(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/devices/:id/token', {
    config: { access: 'device.manage' },
    schema: { tags: ['devices'], summary: 'Replace a device’s token (the old one stops working; the new one is shown once; audited)', params, response: { 200: DeviceWithToken, ...errors } },
    handler: (req) => devices.replaceToken(scopeOf(req), req.params.id),
  });
  app.get('/api/devices/:id/rejections', {
    config: { access: 'device.manage' },
    schema: { tags: ['devices'], summary: 'Items this device sent that were rejected, newest first, with the reason', params, response: { 200: Type.Array(DeviceRejection), ...errors } },
    handler: (req) => devices.rejections(scopeOf(req), req.params.id),
  });
  app.post('/api/devices/ingest', {
    // Devices have no session: the bearer token is their credential, checked by the ingestion service.
    // A gate's request and answer are a few hundred bytes: compressing either costs more than it saves.
    config: { access: 'public', compress: false, decompress: false },
    schema: {
      tags: ['devices'],
      summary: 'Device ingestion (Authorization: Bearer <device token>): up to 1000 scans/temperature readings, answered item by item',
      description: 'Items: { key, kind: "scan"|"temperature", code? (personal code) | residentId?, at (epoch ms), temperature? (°C) }. Each is accepted, a duplicate (key seen before) or rejected with a Chinese reason; the good items of a batch are stored even when others are rejected. See docs/DEVICES.md.',
      body: IngestBody,
      response: { 200: IngestResult, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
    handler: async (req) => {
      const device = await ingest.authenticate(bearerToken(req.headers.authorization));
      return ingest.ingest(device, req.body.items, req.log);
    },
  });
}
