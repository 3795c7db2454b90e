import { asShardlineError, type ErrorType } from '@shardline/protocol';

/** Base of every problem `type` URI: stable identifiers, documented in docs/nats-api.md and the README. */
export const PROBLEM_BASE = 'https://shardline.dev/problems/';

/** An RFC 9457 problem detail: what REST answers as application/problem+json and NATS inside `error`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Where in the input a validation problem was found (JSON paths), when it was. */
  errors?: Array<{ path: string; message: string }>;
  /** Where in a SQL text the problem is (1-based), for analytics SQL. */
  line?: number;
  column?: number;
}

interface ProblemKind {
  slug: string;
  title: string;
  status: number;
}

/**
 * One problem per Shardline error type. REST statuses follow HTTP's meaning (404 for a
 * missing stream, 409 for a stream in the wrong state, 429 for throttling) rather than
 * the AWS JSON protocol's blanket 400.
 */
const KINDS: Record<ErrorType, ProblemKind> = {
  ValidationException: { slug: 'validation-error', title: 'The request is not valid', status: 400 },
  SerializationException: { slug: 'malformed-request', title: 'The request body could not be read', status: 400 },
  ResourceNotFoundException: { slug: 'resource-not-found', title: 'The resource does not exist', status: 404 },
  ResourceInUseException: { slug: 'resource-in-use', title: 'The resource is not in a state that allows this', status: 409 },
  InvalidArgumentException: { slug: 'invalid-argument', title: 'An argument is not acceptable', status: 400 },
  LimitExceededException: { slug: 'limit-exceeded', title: 'A limit was exceeded', status: 429 },
  ExpiredIteratorException: { slug: 'expired-cursor', title: 'The cursor expired', status: 400 },
  ExpiredNextTokenException: { slug: 'expired-cursor', title: 'The cursor expired', status: 400 },
  UnknownOperationException: { slug: 'unknown-operation', title: 'No such operation', status: 404 },
  ProvisionedThroughputExceededException: { slug: 'throughput-exceeded', title: 'The shard is over its throughput', status: 429 },
  AccessDeniedException: { slug: 'access-denied', title: 'Access denied', status: 403 },
  UnrecognizedClientException: { slug: 'unauthenticated', title: 'The caller is not authenticated', status: 401 },
  InvalidSignatureException: { slug: 'unauthenticated', title: 'The caller is not authenticated', status: 401 },
  IncompleteSignatureException: { slug: 'unauthenticated', title: 'The caller is not authenticated', status: 401 },
  MissingAuthenticationTokenException: { slug: 'unauthenticated', title: 'The caller is not authenticated', status: 401 },
  KMSNotFoundException: { slug: 'kms-key-not-found', title: 'The encryption key does not exist', status: 400 },
  ConcurrentModificationException: { slug: 'concurrent-modification', title: 'The resource changed meanwhile', status: 409 },
  InvalidKMSResourceException: { slug: 'kms-key-not-found', title: 'The encryption key does not exist', status: 400 },
  ServiceUnavailableException: { slug: 'service-unavailable', title: 'The service is unavailable', status: 503 },
  InternalFailure: { slug: 'internal-error', title: 'Internal error', status: 500 },
  ServiceUnavailable: { slug: 'service-unavailable', title: 'The service is unavailable', status: 503 },
};

/** Problems of the HTTP layer itself, before any operation runs. */
const HTTP_KINDS = {
  'route-not-found': { title: 'No such route', status: 404 },
  'payload-too-large': { title: 'The request body is too large', status: 413 },
  'unsupported-media-type': { title: 'The request body has an unsupported content type', status: 415 },
} as const;

export type HttpProblem = keyof typeof HTTP_KINDS;

/** Every problem type the native APIs answer: their slugs (the OpenAPI document lists them). */
export const PROBLEM_TYPES: readonly string[] = [
  ...new Set([...Object.values(KINDS).map((k) => k.slug), ...Object.keys(HTTP_KINDS)]),
];

/** Maps anything thrown to its problem; unknown errors become a 500 that leaks nothing. */
export function problemOf(err: unknown): Problem {
  if (err instanceof ValidationProblem) return err.problem;
  const error = asShardlineError(err);
  const kind = KINDS[error.type];
  return { type: PROBLEM_BASE + kind.slug, title: kind.title, status: kind.status, detail: error.message };
}

/** A problem of the HTTP layer (unknown route, body too large, wrong content type). */
export function httpProblem(kind: HttpProblem, detail: string): Problem {
  const { title, status } = HTTP_KINDS[kind];
  return { type: PROBLEM_BASE + kind, title, status, detail };
}

/** Input that failed its route's schema: thrown by the operation runner, answered as validation-error. */
export class ValidationProblem extends Error {
  readonly problem: Problem;
  constructor(errors: Array<{ path: string; message: string }>, at?: { line: number; column: number }) {
    const detail = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
    super(detail);
    this.name = 'ValidationProblem';
    const kind = KINDS.ValidationException;
    this.problem = { type: PROBLEM_BASE + kind.slug, title: kind.title, status: kind.status, detail, errors, ...(at ?? {}) };
  }
}
