import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { store } from '../lib/storage';
import { setDayjsLocale } from '../lib/time';
import enUS from './en-US.json';
import zhCN from './zh-CN.json';

export const LANGS = ['zh-CN', 'en-US'] as const;
export type Lang = (typeof LANGS)[number];
const KEY = 'gridline.lang';

function initialLang(): Lang {
  const saved = store.get(KEY);
  return saved === 'en-US' ? 'en-US' : 'zh-CN';
}

const lang = initialLang();
setDayjsLocale(lang);
document.documentElement.lang = lang;

/**
 * Module resources: `modules/<module>.<lang>.json` (e.g. screening.zh-CN.json), each holding its own top-level
 * key, merged over the shared files — so modules add strings without touching one another's.
 */
const moduleFiles = import.meta.glob<Record<string, unknown>>('./modules/*.json', { eager: true, import: 'default' });
function withModules(base: Record<string, unknown>, lang: Lang): Record<string, unknown> {
  const merged = { ...base };
  for (const [file, content] of Object.entries(moduleFiles)) if (file.endsWith(`.${lang}.json`)) Object.assign(merged, content);
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: withModules(zhCN, 'zh-CN') }, 'en-US': { translation: withModules(enUS, 'en-US') } },
  lng: lang,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(next: Lang): void {
  store.set(KEY, next);
  setDayjsLocale(next);
  document.documentElement.lang = next;
  void i18n.changeLanguage(next);
}

export default i18n;
