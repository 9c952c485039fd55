/**
 * The server's logger: pino, one JSON object per line on stdout (AIRLEDGER_LOG_FORMAT=json, the
 * default), or pino-pretty's coloured lines (AIRLEDGER_LOG_FORMAT=pretty, the default with
 * NODE_ENV=development; pino-pretty is an optional dependency: without it the logs stay JSON).
 * What goes in: start-up lines, one access line per request (hooks/access-log.ts), and internal
 * errors as their type, code and stack frames only (safeError): messages of database errors can
 * carry the values of a row (names, ID numbers), so they are not logged.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config.js';

export type { Logger } from 'pino';

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: { service: 'airledger-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Belt and braces: nothing logs these, and if anything ever did they would not be written.
    redact: { paths: ['authorization', '*.authorization', 'headers', '*.headers', 'variables', '*.variables', 'token', '*.token', 'secret', '*.secret'], censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  if (config.logFormat === 'pretty') {
    try {
      createRequire(import.meta.url).resolve('pino-pretty');
      return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } });
    } catch {
      const logger = pino(options);
      logger.warn('AIRLEDGER_LOG_FORMAT=pretty but pino-pretty is not installed: logging JSON');
      return logger;
    }
  }
  return pino(options);
}

/** What of an unexpected error may be logged: its type, PostgreSQL's code and routine, its stack frames (without the message line). */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; routine?: unknown; cause?: unknown };
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).map((l) => l.trim());
  return {
    type: e.name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.routine === 'string' ? { routine: e.routine } : {}),
    stack: frames.slice(0, 20),
    ...(e.cause instanceof Error ? { cause: safeError(e.cause) } : {}),
  };
}
