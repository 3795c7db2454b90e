/**
 * A Firehose delivery stream as an output: an application's rows are stored in a DirectPut
 * delivery stream's record storage (one JSON document and a newline per record), where the
 * Firehose role picks them up like PutRecordBatch's.
 */
import { CreateDeliveryStreamCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { openDirectPut, type AnalyticsRuntime, type DirectPut } from '@shardline/analytics';
import { decodeMessage, deliveryStreamStreamName } from '@shardline/messaging';
import { eventually } from '../support/firehose';
import { createActive, rest } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { putJson, startTestAnalytics, waitApplication } from '../support/analytics';
import { randomName } from '../support/random-name';
import { BUCKET_ARN, ROLE_ARN, firehoseClient, removeDeliveryStorage, waitStatus } from '../firehose/support';

describe('analytics output to a Firehose delivery stream', () => {
  let sl: TestPlatform;
  let firehose: FirehoseClient;
  let directPut: DirectPut;
  let analytics: AnalyticsRuntime;

  beforeAll(async () => {
    sl = await startTestPlatform();
    firehose = firehoseClient(sl.endpoint);
    const { region, accountId, replicas } = sl.config;
    directPut = await openDirectPut(sl.platform.nc, sl.platform.dataSource, { region, accountId, replicas });
    analytics = await startTestAnalytics(sl, { putDeliveryRecords: directPut.put });
  });
  afterAll(async () => {
    await analytics.close();
    directPut.close();
    firehose.destroy();
    await removeDeliveryStorage(sl.config.databaseUrl);
    await sl.close();
  });

  it('stores each row of the in-application stream as a record of the delivery stream', async () => {
    const DeliveryStreamName = randomName('an-out');
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName, ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: BUCKET_ARN } }));
    await waitStatus(firehose, DeliveryStreamName);
    const [{ id }]: Array<{ id: string }> = await sl.platform.dataSource.query('SELECT id FROM delivery_streams WHERE name = $1', [DeliveryStreamName]);

    const stream = randomName('an-in');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const name = randomName('to-firehose');
    expect(
      (
        await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
          name,
          input: { streamName: stream, format: 'JSON', columns: [{ name: 'USER_ID', type: 'VARCHAR(16)', path: '$.user' }, { name: 'AMOUNT', type: 'DOUBLE', path: '$.amount' }] },
          sql: `CREATE STREAM "BIG" (user_id VARCHAR(16), amount DOUBLE);
                CREATE PUMP "P" AS INSERT INTO "BIG" SELECT STREAM user_id, amount FROM SOURCE_SQL_STREAM_001 WHERE amount >= 100;`,
          outputs: [{ kind: 'deliveryStream', inAppStream: 'BIG', deliveryStreamName: DeliveryStreamName }],
        })
      ).status,
    ).toBe(201);
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'NOW' });
    await waitApplication(sl.endpoint, name, 'RUNNING');
    await putJson(sl.endpoint, stream, [
      { key: 'a', data: { user: 'a', amount: 5 } },
      { key: 'b', data: { user: 'b', amount: 150 } },
      { key: 'c', data: { user: 'c', amount: 100 } },
    ]);

    const jsm = await sl.platform.nc.jetstreamManager();
    const records = await eventually(async () => {
      const info = await jsm.streams.info(deliveryStreamStreamName(id));
      const found: string[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const decoded = decodeMessage((await jsm.streams.getMessage(deliveryStreamStreamName(id), { seq })).data);
        if (decoded.kind === 'records') found.push(...decoded.records.map((r) => Buffer.from(r.data).toString()));
      }
      return found.length >= 2 && found;
    });
    expect(records.map((r) => r.endsWith('\n'))).toEqual([true, true]);
    expect(records.map((r) => JSON.parse(r))).toEqual([
      expect.objectContaining({ USER_ID: 'b', AMOUNT: 150 }),
      expect.objectContaining({ USER_ID: 'c', AMOUNT: 100 }),
    ]);
  });
});
