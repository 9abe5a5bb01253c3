import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';

export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'bad_gateway'
  | 'internal';

/** The one error type routes throw; `renderError` turns it into the JSON body. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, details);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const unauthorized = (message = 'Missing or invalid credentials') =>
  new AppError(401, 'unauthorized', message);

/** Turns a zod failure into one readable line per problem: `events.0.type: Invalid option`. */
export function validationError(error: z.ZodError, where = 'body'): AppError {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : where;
    return `${path}: ${issue.message}`;
  });
  return new AppError(400, 'validation_failed', `Invalid ${where}: ${lines.join('; ')}`, error.issues);
}

export function renderError(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    const body: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.details !== undefined) body.details = err.details;
    return c.json({ error: body }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'bad_request';
    return c.json({ error: { code, message: err.message || 'Request rejected' } }, status);
  }
  console.error('unhandled error', err);
  return c.json({ error: { code: 'internal', message: 'Internal error' } }, 500);
}
