import { WHISTLE_CATEGORIES, type WhistleCategory, type WhistleUrgency } from '../whistles/categories.js';
import { dedupeText } from './text.js';

/** An editable keyword rule: text containing at least `minHits` of its keywords falls into `category`. */
export interface KeywordRule {
  id: string;
  name: string;
  category: WhistleCategory;
  urgency: WhistleUrgency;
  keywords: string[];
  minHits: number;
  /** Route as a whistle without a person looking, when this rule decides the category with high confidence. */
  autoRoute: boolean;
  /** Lower first among rules with as many hits. */
  priority: number;
}

export type Confidence = 'high' | 'low' | 'none';

export interface Classification {
  category: WhistleCategory | null;
  urgency: WhistleUrgency;
  ruleId: string | null;
  ruleName: string | null;
  matched: string[];
  confidence: Confidence;
  /** Route automatically: high confidence and the deciding rule allows it. */
  autoRoute: boolean;
  /** Every rule that matched, best first (for the rule tester). */
  candidates: { ruleId: string; ruleName: string; category: WhistleCategory; hits: string[] }[];
}

const URGENCY_RANK: Record<WhistleUrgency, number> = { daily: 0, tough: 1, emergency: 2 };

/**
 * Classifies a text by keyword rules. Keywords are compared on the dedupe form of both (no spaces, punctuation
 * or case). The rule with the most distinct keyword hits (at least its `minHits`) decides; ties go to the lower
 * priority number. Confidence is high when the decider has at least `minHits` hits and no rule of another
 * category has as many; low when another category ties; none when no rule matched. The urgency is the highest
 * among the matching rules of the decided category (an emergency keyword is never diluted by a routine one).
 */
export function classifyText(text: string, rules: readonly KeywordRule[]): Classification {
  const t = dedupeText(text);
  const candidates = rules
    .map((r) => ({ rule: r, hits: [...new Set(r.keywords.filter((k) => dedupeText(k) && t.includes(dedupeText(k))))] }))
    .filter((c) => c.hits.length >= Math.max(1, c.rule.minHits))
    .sort((a, b) => b.hits.length - a.hits.length || a.rule.priority - b.rule.priority || a.rule.name.localeCompare(b.rule.name));
  const best = candidates[0];
  if (!best) {
    return { category: null, urgency: 'daily', ruleId: null, ruleName: null, matched: [], confidence: 'none', autoRoute: false, candidates: [] };
  }
  const rival = candidates.find((c) => c.rule.category !== best.rule.category && c.hits.length === best.hits.length);
  const confidence: Confidence = rival ? 'low' : 'high';
  const urgency = candidates
    .filter((c) => c.rule.category === best.rule.category)
    .map((c) => c.rule.urgency)
    .reduce<WhistleUrgency>((a, u) => (URGENCY_RANK[u] > URGENCY_RANK[a] ? u : a), 'daily');
  return {
    category: best.rule.category,
    urgency,
    ruleId: best.rule.id,
    ruleName: best.rule.name,
    matched: best.hits,
    confidence,
    autoRoute: confidence === 'high' && best.rule.autoRoute,
    candidates: candidates.map((c) => ({ ruleId: c.rule.id, ruleName: c.rule.name, category: c.rule.category, hits: c.hits })),
  };
}

export function isWhistleCategory(v: unknown): v is WhistleCategory {
  return typeof v === 'string' && (WHISTLE_CATEGORIES as readonly string[]).includes(v);
}

/** Starting rules a new deployment gets (editable): common Chinese wording of residents' requests. */
export const DEFAULT_KEYWORD_RULES: Omit<KeywordRule, 'id'>[] = [
  { name: '急症就医', category: 'medical', urgency: 'emergency', keywords: ['胸痛', '昏迷', '呼吸困难', '大出血', '急救', '120'], minHits: 1, autoRoute: true, priority: 10 },
  { name: '就医用药', category: 'medical', urgency: 'tough', keywords: ['就医', '买药', '药品', '透析', '孕检', '看病', '慢性病'], minHits: 1, autoRoute: true, priority: 20 },
  { name: '疫情线索', category: 'epidemic', urgency: 'tough', keywords: ['发烧', '发热', '阳性', '核酸', '密接', '隔离', '咳嗽'], minHits: 1, autoRoute: false, priority: 30 },
  { name: '生活物资', category: 'supplies', urgency: 'daily', keywords: ['买菜', '物资', '粮油', '断粮', '奶粉', '配送'], minHits: 1, autoRoute: true, priority: 40 },
  { name: '环境卫生', category: 'sanitation', urgency: 'daily', keywords: ['垃圾', '污水', '异味', '清运', '蚊虫', '消杀'], minHits: 1, autoRoute: true, priority: 50 },
  { name: '治安秩序', category: 'public_order', urgency: 'tough', keywords: ['打架', '盗窃', '噪音', '扰民', '可疑人员', '诈骗'], minHits: 1, autoRoute: false, priority: 60 },
  { name: '水电气热', category: 'utilities', urgency: 'tough', keywords: ['停水', '停电', '漏水', '燃气', '煤气', '暖气', '供暖'], minHits: 1, autoRoute: true, priority: 70 },
  { name: '房屋安全', category: 'housing', urgency: 'tough', keywords: ['裂缝', '墙皮脱落', '危房', '坍塌', '电梯故障'], minHits: 1, autoRoute: false, priority: 80 },
  { name: '市场监管', category: 'market', urgency: 'daily', keywords: ['哄抬物价', '涨价', '过期食品', '无证经营'], minHits: 1, autoRoute: false, priority: 90 },
  { name: '民政救助', category: 'welfare', urgency: 'daily', keywords: ['低保', '困难补助', '独居老人', '残疾'], minHits: 1, autoRoute: false, priority: 100 },
  { name: '交通出行', category: 'traffic', urgency: 'daily', keywords: ['占道', '停车', '道路', '红绿灯', '路灯'], minHits: 1, autoRoute: false, priority: 110 },
];
