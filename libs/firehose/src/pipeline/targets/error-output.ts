/**
 * Writes failed records to the error output: one object per error type, under the
 * evaluated ErrorOutputPrefix, one JSON document per line in AWS's error record format.
 * Names derive from the failed records' positions, so a redone batch overwrites them.
 */
import type { FailedRecord, ObjectStore } from '../../model';
import { errorOutputBody, type ErrorOutputContext } from '../../format/error-output';
import { groupErrors } from '../../partitioning/group';
import { objectName } from '../../partitioning/object-name';
import type { PrefixPart } from '../../partitioning/prefix';

export interface ErrorOutput {
  store: ObjectStore;
  bucket: string;
  prefix: readonly PrefixPart[];
  deliveryStreamName: string;
  deliveryStreamVersion: number;
}

export async function writeErrorOutput(output: ErrorOutput, failed: readonly FailedRecord[], context: ErrorOutputContext): Promise<void> {
  if (failed.length === 0) return;
  for (const group of groupErrors(failed, output.prefix)) {
    const key = objectName({
      prefix: group.prefix,
      deliveryStreamName: output.deliveryStreamName,
      deliveryStreamVersion: output.deliveryStreamVersion,
      records: group.failed.map((f) => f.record),
      extension: '',
    });
    await output.store.put({ bucket: output.bucket, key, body: errorOutputBody(group.failed, context), contentType: 'application/json' });
  }
}
