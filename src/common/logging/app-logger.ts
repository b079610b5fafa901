import { Injectable, type LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { redactValue, scrubText } from './redact';

/**
 * Structured JSON logging on pino, shared by Nest, the services and the CLI.
 * Every message and field is passed through redaction so phone numbers,
 * emails, tokens and secrets never reach stderr or LOG_FILE. (stderr, not stdout: CLI
 * commands write their results to stdout, which must stay machine-readable.)
 */
@Injectable()
export class AppLogger implements LoggerService {
  private readonly logger: Logger;

  constructor(config: AppConfig) {
    const streams: pino.StreamEntry[] = [{ stream: process.stderr }];
    if (config.logging.file) {
      streams.push({
        stream: pino.destination({ dest: config.logging.file, mkdir: true, sync: true }),
      });
    }
    this.logger = pino(
      {
        level: config.logging.level,
        base: { service: 'consent-gate' },
        timestamp: pino.stdTimeFunctions.isoTime,
      },
      pino.multistream(streams),
    );
  }

  /** A child logger bound to a component name and optional fields. */
  child(context: string, fields: Record<string, unknown> = {}): ContextLogger {
    return new ContextLogger(this.logger.child({ context, ...(redactValue(fields) as object) }));
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, traceOrContext?: string, context?: string): void {
    this.write('error', message, context ?? traceOrContext);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context?: string): void {
    if (typeof message === 'string') this.logger[level]({ context }, scrubText(message));
    else this.logger[level]({ context, detail: redactValue(message) });
  }
}

export class ContextLogger {
  constructor(private readonly logger: Logger) {}
  info(msg: string, fields: Record<string, unknown> = {}): void {
    this.logger.info(redactValue(fields) as object, scrubText(msg));
  }
  warn(msg: string, fields: Record<string, unknown> = {}): void {
    this.logger.warn(redactValue(fields) as object, scrubText(msg));
  }
  error(msg: string, fields: Record<string, unknown> = {}): void {
    this.logger.error(redactValue(fields) as object, scrubText(msg));
  }
  debug(msg: string, fields: Record<string, unknown> = {}): void {
    this.logger.debug(redactValue(fields) as object, scrubText(msg));
  }
}
