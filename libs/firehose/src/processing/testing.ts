/** Builds FirehoseRecords for the specs of this lib. */
import type { FirehoseRecord } from '../model';

export function testRecord(data: string | Buffer | object, index = 0, overrides: Partial<FirehoseRecord> = {}): FirehoseRecord {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data));
  return {
    recordId: `r${index}`,
    data: bytes,
    approximateArrivalTimestamp: Date.UTC(2024, 0, 2, 3, 4, 5) + index * 1000,
    position: { seq: 10 + index, index: 0 },
    ...overrides,
  };
}
