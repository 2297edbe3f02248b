/** Full-width ASCII (digits, letters, punctuation) → half-width; ideographic space → space. */
export function toHalfWidth(input: string): string {
  return input.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Normalizes what people paste: full-width characters, stray and inner spaces. */
export function normalizeToken(input: string): string {
  return toHalfWidth(input).replace(/\s+/g, '');
}

/** Collapses runs of whitespace and trims; for names and free text. */
export function normalizeText(input: string): string {
  return toHalfWidth(input).replace(/\s+/g, ' ').trim();
}
