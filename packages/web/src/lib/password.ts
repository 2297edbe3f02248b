/** The server's password rule (GRIDLINE_PASSWORD_WEAK): at least 8 characters, letters and digits. */
export function passwordProblem(pw: string): 'length' | 'mix' | undefined {
  if (pw.length < 8) return 'length';
  if (!/[A-Za-z]/.test(pw) || !/\d/.test(pw)) return 'mix';
  return undefined;
}
