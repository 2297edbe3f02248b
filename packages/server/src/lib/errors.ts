import { ERRORS, type ErrorCode, type FieldError } from '@gridline/shared';

/**
 * The one error type services throw. Its code decides the HTTP status and the message;
 * `fields` points at the inputs to fix. Anything else reaching the error handler is unexpected (500, logged).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldError[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    opts: { fields?: FieldError[]; details?: Record<string, unknown>; message?: string; cause?: unknown } = {},
  ) {
    super(opts.message ?? ERRORS[code].en, { cause: opts.cause });
    this.code = code;
    this.status = ERRORS[code].status;
    this.fields = opts.fields;
    this.details = opts.details;
  }

  toResponse() {
    return {
      error: {
        code: this.code,
        message: ERRORS[this.code].zh,
        messageEn: ERRORS[this.code].en,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export function fieldError(path: string, code: string, message: string): FieldError {
  return { path, code, message };
}

/** Throws GRIDLINE_VALIDATION when any field problem was collected. */
export function throwIfFieldErrors(fields: FieldError[]): void {
  if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
}
