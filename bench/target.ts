/**
 * An HTTP server in its own process, for the load generator to hit over loopback:
 *   app  <envJson>        the real Gridline app (buildApp over openContext)
 *   bare <payloadsFile>   a bare Fastify app answering each route with fixed bytes (the HTTP baseline)
 * Reports { port } over IPC once listening; answers 'rss' with its peak RSS; exits on 'stop'.
 */
import fs from 'node:fs';
import Fastify from 'fastify';
import { buildApp } from '../packages/server/src/app.js';
import { openContext, SERVING } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import { maxRssMb } from './stats.js';

export interface BarePayload { method: 'GET' | 'POST'; url: string; status: number; contentType: string; body: string }

const [mode, arg] = process.argv.slice(2);
if (!process.send || !arg) throw new Error('target.ts is started by bench/run.ts');
const send = (m: unknown) => process.send!(m);

let close: () => Promise<void>;
let port: number;
if (mode === 'app') {
  const ctx = await openContext(loadConfig(JSON.parse(arg) as Record<string, string>), SERVING);
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  close = async () => {
    await app.close();
    await ctx.close();
  };
} else if (mode === 'bare') {
  const payloads = JSON.parse(fs.readFileSync(arg, 'utf8')) as BarePayload[];
  const app = Fastify({ logger: false });
  // Several scenarios share a path and differ by query string: one catch-all route, looked up by method and full URL.
  const byUrl = new Map(payloads.map((p) => [`${p.method} ${p.url}`, { ...p, bytes: Buffer.from(p.body) }]));
  app.all('/*', (req, reply) => {
    const p = byUrl.get(`${req.method} ${req.url}`);
    if (!p) return reply.code(404).send();
    return reply.code(p.status).header('content-type', p.contentType).send(p.bytes);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  close = () => app.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.on('message', (m) => {
  if (m === 'rss') send({ rssMb: maxRssMb() });
  if (m === 'stop') void close().then(() => process.exit(0));
});
// Never outlive the run: a parent that is gone (or failed) takes this server with it.
process.on('disconnect', () => process.exit(0));
send({ port });
