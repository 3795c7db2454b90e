/**
 * Structured logs: one JSON object per line on stdout (info) or stderr (warn, error), with
 * the trace and span ids of the active span when there is one, so a log line leads to its
 * trace in Jaeger. Hand-written rather than pino: pino is only fastify's transitive
 * dependency here, and the apps log a handful of lifecycle lines and errors.
 */
import { trace } from '@opentelemetry/api';

export type LogLevel = 'info' | 'warn' | 'error';

/** Extra fields of a line; an `err` field is written as its name, message and stack. */
export type LogFields = Record<string, unknown>;

export interface LoggerOptions {
  /** Written as `service` on every line. */
  service: string;
  /** Where lines go (tests capture them); stdout for info, stderr otherwise by default. */
  write?: (line: string, level: LogLevel) => void;
  now?: () => Date;
}

export class JsonLogger {
  private readonly write: (line: string, level: LogLevel) => void;
  private readonly now: () => Date;

  constructor(private readonly options: LoggerOptions) {
    this.write = options.write ?? ((line, level) => (level === 'info' ? process.stdout : process.stderr).write(line + '\n'));
    this.now = options.now ?? (() => new Date());
  }

  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }

  /** An error line; `err` (any thrown value) is written as `err: { name, message, stack }`. */
  error(msg: string, err?: unknown, fields?: LogFields): void {
    this.log('error', msg, err === undefined ? fields : { ...fields, err });
  }

  private log(level: LogLevel, msg: string, fields?: LogFields): void {
    const line: Record<string, unknown> = { time: this.now().toISOString(), level, service: this.options.service, msg };
    const span = trace.getActiveSpan()?.spanContext();
    if (span && trace.isSpanContextValid(span)) {
      line.trace_id = span.traceId;
      line.span_id = span.spanId;
    }
    for (const [key, value] of Object.entries(fields ?? {})) line[key] = key === 'err' ? errorFields(value) : value;
    this.write(JSON.stringify(line), level);
  }
}

function errorFields(err: unknown): unknown {
  if (!(err instanceof Error)) return String(err);
  return { name: err.name, message: err.message, stack: err.stack, ...(err.cause !== undefined ? { cause: errorFields(err.cause) } : {}) };
}
