/**
 * The one error family of Shardline. Domain code throws these; each boundary maps them
 * once (the Kinesis gateway to AWS `{__type, message}`, REST to problem+json).
 * `type` is the AWS error name, which is also the stable error code everywhere else.
 */
export type ErrorType =
  | 'ValidationException'
  | 'SerializationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'InvalidArgumentException'
  | 'LimitExceededException'
  | 'ExpiredIteratorException'
  | 'ExpiredNextTokenException'
  | 'UnknownOperationException'
  | 'ProvisionedThroughputExceededException'
  | 'AccessDeniedException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'IncompleteSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'KMSNotFoundException'
  // Firehose's own exception types.
  | 'ConcurrentModificationException'
  | 'InvalidKMSResourceException'
  | 'ServiceUnavailableException'
  | 'InternalFailure'
  | 'ServiceUnavailable';

/** HTTP status AWS answers with for each error type. */
const STATUS: Record<ErrorType, number> = {
  ValidationException: 400,
  SerializationException: 400,
  ResourceNotFoundException: 400,
  ResourceInUseException: 400,
  InvalidArgumentException: 400,
  LimitExceededException: 400,
  ExpiredIteratorException: 400,
  ExpiredNextTokenException: 400,
  UnknownOperationException: 400,
  ProvisionedThroughputExceededException: 400,
  AccessDeniedException: 400,
  // Kinesis (a JSON-protocol service) answers signature errors with 400, not S3's 403.
  UnrecognizedClientException: 400,
  InvalidSignatureException: 400,
  IncompleteSignatureException: 400,
  MissingAuthenticationTokenException: 400,
  KMSNotFoundException: 400,
  ConcurrentModificationException: 400,
  InvalidKMSResourceException: 400,
  ServiceUnavailableException: 503,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

const RETRIABLE: ReadonlySet<ErrorType> = new Set<ErrorType>([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** Base error: a stable type, a message meant for the caller, and whether a retry may succeed. */
export class ShardlineError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly type: ErrorType,
    message: string,
    options?: { cause?: unknown; retriable?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = type;
    this.retriable = options?.retriable ?? RETRIABLE.has(type);
  }

  get statusCode(): number {
    return STATUS[this.type];
  }
}

export const validationError = (message: string) => new ShardlineError('ValidationException', message);
export const serializationError = (message: string) => new ShardlineError('SerializationException', message);
export const notFound = (message: string) => new ShardlineError('ResourceNotFoundException', message);
export const inUse = (message: string) => new ShardlineError('ResourceInUseException', message);
export const invalidArgument = (message: string) => new ShardlineError('InvalidArgumentException', message);
export const limitExceeded = (message: string) => new ShardlineError('LimitExceededException', message);
export const concurrentModification = (message: string) => new ShardlineError('ConcurrentModificationException', message);
export const expiredIterator = (message: string) => new ShardlineError('ExpiredIteratorException', message);
export const throughputExceeded = (message: string) => new ShardlineError('ProvisionedThroughputExceededException', message);
export const internalFailure = (message: string, cause?: unknown) =>
  new ShardlineError('InternalFailure', message, { cause });
export const unavailable = (message: string, cause?: unknown) =>
  new ShardlineError('ServiceUnavailable', message, { cause });

/** Anything thrown that is not a ShardlineError becomes an InternalFailure (its text is not leaked). */
export function asShardlineError(err: unknown): ShardlineError {
  if (err instanceof ShardlineError) return err;
  return internalFailure('An internal error occurred', err);
}
