import { JsonLogger } from '@shardline/telemetry';

/** The gateway's structured log (JSON lines with the request's trace id). */
export const gatewayLog = new JsonLogger({ service: 'shardline-gateway' });

/** How the dispatchers log an internal failure: an error line inside the request's span. */
export const logInternalFailure = (err: unknown): void => gatewayLog.error('internal failure', err);
