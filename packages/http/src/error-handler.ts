import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RETRIABLE_CODES } from './errors.js';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; retriable: boolean; fields?: FieldProblem[] };
}

/** Seconds a client is asked to wait before repeating a retriable request. */
const RETRY_AFTER_SECONDS = 5;

/** One entry of a Fastify validation error (AJV's shape, which the zod type provider also uses). */
interface ValidationItem {
  instancePath?: string;
  message?: string;
}

/** The per-field problems of a validation error, with paths like `body.account.handle`. */
function fieldProblems(error: FastifyError): FieldProblem[] | undefined {
  const { validation, validationContext } = error as FastifyError & {
    validation?: ValidationItem[];
    validationContext?: string;
  };
  if (!Array.isArray(validation)) return undefined;
  return validation.map((item) => {
    const path = (item.instancePath ?? '').split('/').filter(Boolean);
    return {
      field: [validationContext, ...path].filter(Boolean).join('.'),
      message: item.message ?? 'invalid',
    };
  });
}

/**
 * One error shape for every route: `{ error: { code, message, retriable, fields? } }`. The full
 * error is logged; 5xx answers never carry internal details.
 */
export const errorHandler = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const fields = fieldProblems(error);
      const status = fields ? 400 : (error.statusCode ?? 500);
      const code = fields ? 'MW_INVALID_BODY' : (error.code ?? 'MW_INTERNAL');
      const retriable = RETRIABLE_CODES.has(code);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code, status }, 'request rejected');
      if (retriable) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      const message =
        status >= 500 && !retriable ? 'internal error' : fields ? 'invalid request' : error.message;
      const body: ErrorBody = { error: { code, message, retriable, ...(fields ? { fields } : {}) } };
      return reply.status(status).send(body);
    });
    app.setNotFoundHandler((request, reply) => {
      const body: ErrorBody = {
        error: {
          code: 'MW_NOT_FOUND',
          message: `${request.method} ${request.url} not found`,
          retriable: false,
        },
      };
      return reply.status(404).send(body);
    });
  },
  { name: 'mirrorwatch-error-handler' },
);
