/** `3401**********1234`: first 4 and last 4 kept, every other character starred. */
export function maskDocument(value: string): string {
  if (value.length <= 8) return value.slice(0, 1) + '*'.repeat(Math.max(0, value.length - 2)) + value.slice(-1);
  return value.slice(0, 4) + '*'.repeat(value.length - 8) + value.slice(-4);
}

/** `138****5678`. */
export function maskPhone(value: string): string {
  if (value.length < 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}
