import { PROTOCOL_GROUP_LABELS, PROTOCOL_GROUPS } from '@gridline/shared';
import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import { Scope } from '../../security/scope.js';

/** `gridline protocol list` and `gridline protocol show <id>`: what the console's 防控方案 page shows, as text. */
export async function protocolCommand(ctx: AppContext, args: string[], out: (line: string) => void = console.log): Promise<number> {
  const scope = Scope.system('cli');
  const [sub, id] = args;
  if (sub === 'list') {
    const list = await ctx.services.protocol.list(scope);
    out(`今天 Today ${list.today}（Asia/Shanghai）；现行版本 In force: ${list.inForceId}`);
    for (const v of list.items) {
      out(`${v.inForce ? '*' : ' '} ${v.id.padEnd(38)} ${v.effectiveFrom}  ${v.name}（${v.document}）${v.basedOn ? ` ← ${v.basedOn}` : ''}${v.upcoming ? '  待生效 upcoming' : ''}`);
    }
    return 0;
  }
  if (sub === 'show' && id) {
    try {
      const d = await ctx.services.protocol.get(scope, id);
      const v = d.version;
      out(`${v.name}`);
      out(`  编号 id: ${v.id}   文号 document: ${v.document}   生效 effective: ${v.effectiveFrom}${v.inForce ? '（现行 in force）' : v.upcoming ? '（待生效 upcoming）' : ''}`);
      if (v.basedOn) out(`  基于 based on: ${v.basedOn}   创建 by: ${v.createdBy}${v.note ? `   说明: ${v.note}` : ''}`);
      for (const g of PROTOCOL_GROUPS) {
        const fields = d.fields.filter((f) => f.group === g);
        if (!fields.length) continue;
        out(`\n【${PROTOCOL_GROUP_LABELS[g].zh}】`);
        for (const f of fields) out(`  ${f.label}：${f.text}`);
        for (const key of [...new Set(fields.map((f) => f.sourceKey))]) if (d.values.sources[key]) out(`    来源 source (${key}): ${d.values.sources[key]}`);
      }
      if (d.diff.from) {
        out(`\n与上一版本 ${d.diff.from.id} 相比的变化 Changes (${d.diff.changes.length}):`);
        for (const c of d.diff.changes) out(`  ${c.label}：${c.from ?? '（无）'} → ${c.to ?? '（无）'}`);
      }
      return 0;
    } catch (err) {
      if (err instanceof AppError && err.code === 'GRIDLINE_NOT_FOUND') {
        console.error(`没有该版本 No such version: ${id}`);
        return 1;
      }
      throw err;
    }
  }
  console.error('用法 Usage: gridline protocol list | gridline protocol show <id>');
  return 2;
}
