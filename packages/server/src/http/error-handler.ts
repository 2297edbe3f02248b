import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorObject } from 'ajv';
import { AppError } from '../lib/errors.js';
import { toFieldErrors } from './validation.js';

/** Every error leaves the server in one shape: { error: { code, message, messageEn, fields? } }. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    let appError: AppError;
    if (err instanceof AppError) {
      appError = err;
    } else if ('validation' in err && err.validation) {
      const part = (err as FastifyError).validationContext ?? 'body';
      appError = new AppError('GRIDLINE_VALIDATION', { fields: toFieldErrors(err.validation as ErrorObject[], part) });
    } else {
      const code = (err as FastifyError).code;
      if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') appError = new AppError('GRIDLINE_BAD_JSON');
      else if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') appError = new AppError('GRIDLINE_PAYLOAD_TOO_LARGE');
      else if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') appError = new AppError('GRIDLINE_UNSUPPORTED_MEDIA_TYPE');
      else if ((err as FastifyError).statusCode === 429) appError = new AppError('GRIDLINE_RATE_LIMITED');
      else {
        request.log.error({ err }, 'unexpected error');
        appError = new AppError('GRIDLINE_INTERNAL');
      }
    }
    if (appError.status >= 500) request.log.error({ err: appError.cause ?? appError }, appError.code);
    else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
    return reply.status(appError.status).send(appError.toResponse());
  });
}
