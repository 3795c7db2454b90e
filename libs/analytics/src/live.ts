/**
 * Live rows: the runtime publishes every row of every in-application stream (and the error and
 * late streams) on a core NATS subject per application and stream; a gateway serving
 * `GET /v1/analytics/applications/{name}/streams/{stream}/live` subscribes to it. Core NATS,
 * not JetStream: a live view is best effort and costs nothing when nobody listens.
 */
import type { NatsConnection, Subscription } from 'nats';

/** Published by the REST API on every create, update, start, stop and delete: runtimes reconcile at once. */
export const ANALYTICS_CHANGED_SUBJECT = 'shardline.analytics.changed';

/** A subject token for a name: letters, digits, _ and - as they are, anything else as ~hex. */
function token(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, (c) => `~${c.codePointAt(0)!.toString(16)}`);
}

/** In-application stream names are matched case-insensitively (unquoted SQL names fold to upper case). */
export function liveSubject(application: string, stream: string): string {
  return `shardline.analytics.live.${token(application)}.${token(stream.toUpperCase())}`;
}

/** Rows of one live stream, as they are published, until `close`. */
export function subscribeLive(nc: NatsConnection, application: string, stream: string, onRow: (row: unknown) => void): Subscription {
  return nc.subscribe(liveSubject(application, stream), {
    callback: (err, msg) => {
      if (err) return;
      try {
        onRow(JSON.parse(msg.string()));
      } catch {
        // A malformed message is skipped: the feed goes on.
      }
    },
  });
}
