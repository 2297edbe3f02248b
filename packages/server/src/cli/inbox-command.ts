import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.js';
import { Scope } from '../security/scope.js';

/**
 * `gridline inbox import --in FILE --node CODE`: a 12345 ticket export into the inbox (every bad row printed);
 * `gridline inbox token --node CODE --name NAME [--channel hotline|robot]`: an access token for a pushing system (printed once);
 * `gridline inbox webhooks`: queue the outgoing webhook deliveries that are due now.
 */
export async function inboxCommand(ctx: AppContext, positionals: string[], v: Record<string, string | boolean | undefined>): Promise<number> {
  const sys = Scope.system('cli');
  const node = typeof v.node === 'string' ? v.node : undefined;
  switch (positionals[0]) {
    case 'import': {
      if (typeof v.in !== 'string' || !node) break;
      const r = await ctx.services.inbox.intake.importHotline(sys, path.basename(v.in), fs.readFileSync(v.in), node);
      console.log(`新增 ${r.accepted} 条，重复 ${r.duplicates} 条，有问题 ${r.rejected} 条，自动派发 ${r.routed} 条 (accepted ${r.accepted}, duplicates ${r.duplicates}, rejected ${r.rejected}, routed ${r.routed})`);
      for (const e of r.errors) console.error(`  ${e.message}`);
      return r.errors.length ? 1 : 0;
    }
    case 'token': {
      const channel = v.channel === 'robot' ? 'robot' : 'hotline';
      if (!node || typeof v.name !== 'string') break;
      const t = await ctx.services.inbox.intake.createToken(sys, { name: v.name, channel, nodeCode: node });
      console.log(`已创建接入令牌（只显示一次）Token for ${t.name} (${channel}) at ${t.nodeCode}:\n${t.token}`);
      return 0;
    }
    case 'webhooks': {
      const n = await ctx.services.webhooks.sweep();
      await ctx.services.queue.start();
      await ctx.services.queue.idle();
      await ctx.services.queue.stop();
      console.log(`已投递到期的 webhook ${n} 条 Attempted ${n} due webhook deliveries`);
      return 0;
    }
  }
  console.error('Usage: gridline inbox import --in FILE --node CODE | inbox token --node CODE --name NAME [--channel hotline|robot] | inbox webhooks');
  return 2;
}
