export { nativeOperations } from './operations';
export { defineOperation, parse } from './operation';
export type { MetricSample, NativeInput, NativeOperation, NativeServices } from './operation';
export type { NativeDelivery } from './operation';
export type { NativePlugins } from './operation';
export { nativeServices } from './services';
export { ReadCursorCodec, listCursor, tailPositions } from './cursors';
export type { ReadCursor } from './cursors';
export { PROBLEM_BASE, PROBLEM_TYPES, ValidationProblem, httpProblem, problemOf } from './problems';
export type { HttpProblem, Problem } from './problems';
export { analyticsLiveRoute, memberRecordsRoute, openApiDocument, tailRoute } from './openapi';
export { memberOperations } from './member-operations';
export { MemberFeed, memberSseFrame } from './member-feed';
export type { MemberEvent } from './member-feed';
export { StreamTail, sseFrame, sseProblem } from './tail';
export type { TailEvent, TailRequest } from './tail';
export { entryOf, jsonOf, recordView } from './views';
export { startRequest } from './record-operations';
export {
  BATCH_HEADER,
  HASH_KEY_HEADER,
  NATS_QUEUE,
  PARTITION_KEY_HEADER,
  natsSubjects,
  errorReply,
  handleApi,
  handlePut,
} from './nats-messages';
export type { PutMessage } from './nats-messages';
export { analyticsOperations } from './analytics-operations';
export { AnalyticsLiveFeed, liveSseFrame } from './analytics-live';
export type { LiveEvent } from './analytics-live';
