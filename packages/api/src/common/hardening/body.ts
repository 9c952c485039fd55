import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { HardeningErrorCode, sendHttpError } from './errors.js';
import type { HardeningConfig } from './settings.js';

/**
 * express.json with AIRLEDGER_MAX_BODY_BYTES, answering body errors as GraphQL-shaped JSON with a
 * code instead of express's HTML error page: too large = 413 REQUEST_TOO_LARGE, not JSON = 400
 * BAD_REQUEST, other unreadable bodies = their 4xx status with BAD_REQUEST.
 */
export function jsonBody(config: HardeningConfig): RequestHandler {
  const parse = express.json({ limit: config.maxBodyBytes });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const e = error as { type?: string; status?: number; statusCode?: number; message?: string };
      const status = e.status ?? e.statusCode ?? 500;
      if (status >= 500) return next(error);
      // The rest of an oversized body is not read: close the connection after answering.
      if (!req.complete) res.setHeader('Connection', 'close');
      if (e.type === 'entity.too.large') {
        return sendHttpError(req, res, 413, HardeningErrorCode.REQUEST_TOO_LARGE, `The request body is larger than ${config.maxBodyBytes} bytes.`, {
          maxBytes: config.maxBodyBytes,
        });
      }
      if (e.type === 'entity.parse.failed') return sendHttpError(req, res, 400, HardeningErrorCode.BAD_REQUEST, 'The request body is not valid JSON.');
      return sendHttpError(req, res, status, HardeningErrorCode.BAD_REQUEST, e.message ?? 'The request body cannot be read.');
    });
  };
}
