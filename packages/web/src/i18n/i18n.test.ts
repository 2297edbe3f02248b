import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every string exists in both languages (shared files and module files alike), and none is empty. */
const DIR = path.dirname(fileURLToPath(import.meta.url));

function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [prefix];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
function load(lang: string): Record<string, unknown> {
  const merged = JSON.parse(fs.readFileSync(path.join(DIR, `${lang}.json`), 'utf8')) as Record<string, unknown>;
  const modules = path.join(DIR, 'modules');
  for (const f of fs.existsSync(modules) ? fs.readdirSync(modules) : []) {
    if (!f.endsWith(`.${lang}.json`)) continue;
    const content = JSON.parse(fs.readFileSync(path.join(modules, f), 'utf8')) as Record<string, unknown>;
    for (const k of Object.keys(content)) expect(merged, `${f} redefines "${k}"`).not.toHaveProperty(k);
    Object.assign(merged, content);
  }
  return merged;
}

/**
 * English-only keys: plural forms (Chinese has none) and English renderings of field-rule messages whose
 * Chinese text comes from @gridline/shared itself.
 */
const EN_ONLY = [/_(one|other)$/, /^residentForm\.err\./];
/** Deliberately empty: a counter unit Chinese writes ("120 人") and English does not. */
const MAY_BE_EMPTY = new Set(['en-US common.personUnit']);

describe('i18n resources', () => {
  it('have the same keys in Chinese and English, none empty', () => {
    const zh = load('zh-CN');
    const en = load('en-US');
    const enKeys = new Set(keys(en).map((k) => k.replace(/_(one|other)$/, '')));
    expect(keys(zh).filter((k) => !enKeys.has(k)), 'missing in English').toEqual([]);
    const zhKeys = new Set(keys(zh));
    expect(keys(en).filter((k) => !zhKeys.has(k) && !EN_ONLY.some((r) => r.test(k)) && !zhKeys.has(k.replace(/_(one|other)$/, ''))), 'missing in Chinese').toEqual([]);
    for (const [lang, res] of [['zh-CN', zh], ['en-US', en]] as const) {
      for (const k of keys(res)) {
        const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], res);
        if (MAY_BE_EMPTY.has(`${lang} ${k}`)) continue;
        expect(typeof v === 'string' && v.trim().length > 0, `${lang} ${k} is empty`).toBe(true);
      }
    }
  });
});
