import { toHalfWidth } from '../text.js';

/**
 * What two messages must share to be "the same text" for dedupe: full-width folded, lower case, and without
 * whitespace or punctuation (ASCII and CJK), so "小区门口 垃圾没人清！" and "小区门口垃圾没人清" match.
 */
export function dedupeText(input: string): string {
  return toHalfWidth(input)
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Trims and collapses whitespace of an inbox message, keeping line breaks; caps it at `max` characters. */
export function cleanMessage(input: string, max = 4000): string {
  return input
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u3000]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, max);
}

/** The dedupe window: the same text from the same phone within this is a duplicate of the first. */
export const DEDUPE_WINDOW_MS = 24 * 3600_000;
