import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createActiveStream, expectAwsError } from '../support/kinesis';
import { startTestPlatform, TRANSPORTS, type TestPlatform, type Transport } from '../support/platform';
import { randomName } from '../support/random-name';
import { rawKinesisRequest } from '../support/raw-http';

const ACCOUNT = '000000000000';
const one = (value: string, member: string, rule: string) =>
  `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${rule}`;
const MAX_HASH_KEY = (1n << 128n) - 1n;

/** The SDK client with retries off: an error must come from the first answer (LimitExceededException is retried otherwise). */
function client(endpoint: string, transport: Transport): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    ...(transport === 'http1' ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

describe.each(TRANSPORTS)('validation through the SDK over %s', (transport) => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;
  /** An ACTIVE one-shard stream for the rules that need one. */
  let StreamName: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    kinesis = client(platform.endpoint, transport);
    StreamName = randomName('valid');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('gives every answer, success or error, a request id', async () => {
    const ok = await kinesis.send(new ListStreamsCommand({}));
    expect(ok.$metadata.requestId).toMatch(/\S/);
    const failed = await expectAwsError(kinesis.send(new DescribeStreamCommand({ StreamName: randomName('none') })), 'ResourceNotFoundException');
    expect((failed.$metadata as { requestId?: string }).requestId).toMatch(/\S/);
    expect(failed.$metadata!.httpStatusCode).toBe(400);
  });

  describe('StreamName and StreamARN', () => {
    it('refuses a name outside [a-zA-Z0-9_.-]+', async () => {
      await expectAwsError(
        kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'bad name!' })),
        'ValidationException',
        one("'bad name!'", 'streamName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+'),
      );
    });

    it('refuses a name longer than 128 characters, and takes one of exactly 128', async () => {
      const long = 'a'.repeat(129);
      await expectAwsError(
        kinesis.send(new CreateStreamCommand({ StreamName: long, ShardCount: 1 })),
        'ValidationException',
        one(`'${long}'`, 'streamName', 'Member must have length less than or equal to 128'),
      );
      // 128 characters are fine: the stream is just not there.
      await expectAwsError(
        kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'a'.repeat(128) })),
        'ResourceNotFoundException',
      );
    });

    it('refuses an empty name with both the pattern and the length rule', async () => {
      await expectAwsError(
        kinesis.send(new CreateStreamCommand({ StreamName: '', ShardCount: 1 })),
        'ValidationException',
        "2 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: " +
          'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; ' +
          "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    });

    it('refuses a request with neither StreamName nor StreamARN', async () => {
      await expectAwsError(kinesis.send(new DescribeStreamSummaryCommand({})), 'ValidationException', /StreamName or StreamARN/);
      await expectAwsError(
        kinesis.send(new PutRecordCommand({ PartitionKey: 'p', Data: Buffer.from('x') })),
        'ValidationException',
        /StreamName or StreamARN/,
      );
      await expectAwsError(kinesis.send(new ListShardsCommand({})), 'InvalidArgumentException');
    });

    it('answers ResourceNotFoundException for a missing stream, by name and by ARN', async () => {
      const missing = randomName('missing');
      await expectAwsError(
        kinesis.send(new DescribeStreamCommand({ StreamName: missing })),
        'ResourceNotFoundException',
        `Stream ${missing} under account ${ACCOUNT} not found.`,
      );
      await expectAwsError(
        kinesis.send(new PutRecordCommand({ StreamName: missing, PartitionKey: 'p', Data: Buffer.from('x') })),
        'ResourceNotFoundException',
      );
      await expectAwsError(
        kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${missing}` })),
        'ResourceNotFoundException',
      );
      await expectAwsError(kinesis.send(new DeleteStreamCommand({ StreamName: missing })), 'ResourceNotFoundException');
    });

    it('answers ResourceInUseException for creating a stream that exists', async () => {
      await expectAwsError(
        kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 })),
        'ResourceInUseException',
        `Stream ${StreamName} under account ${ACCOUNT} already exists.`,
      );
    });
  });

  describe('records', () => {
    it('refuses Data above 1 MiB and takes exactly 1 MiB', async () => {
      await expectAwsError(
        kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.alloc(1024 * 1024 + 1) })),
        'ValidationException',
        one("'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]'", 'data', 'Member must have length less than or equal to 1048576'),
      );
      const put = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.alloc(1024 * 1024) }));
      expect(put.SequenceNumber).toMatch(/^\d+$/);
    });

    it('refuses an empty PartitionKey and one above 256 characters, and takes 256', async () => {
      await expectAwsError(
        kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: '', Data: Buffer.from('x') })),
        'ValidationException',
        one("''", 'partitionKey', 'Member must have length greater than or equal to 1'),
      );
      const long = 'k'.repeat(257);
      await expectAwsError(
        kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: long, Data: Buffer.from('x') })),
        'ValidationException',
        one(`'${long}'`, 'partitionKey', 'Member must have length less than or equal to 256'),
      );
      await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k'.repeat(256), Data: Buffer.from('x') }));
    });

    it('refuses an ExplicitHashKey that is not a decimal number', async () => {
      for (const key of ['abc', '-1', '0x10', '01', '1.5']) {
        await expectAwsError(
          kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', ExplicitHashKey: key, Data: Buffer.from('x') })),
          'ValidationException',
          one(`'${key}'`, 'explicitHashKey', 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})'),
        );
      }
    });

    it('refuses an ExplicitHashKey above 2^128-1 and takes 2^128-1', async () => {
      const above = (MAX_HASH_KEY + 1n).toString();
      const message = `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${above}`;
      await expectAwsError(
        kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', ExplicitHashKey: above, Data: Buffer.from('x') })),
        'InvalidArgumentException',
        message,
      );
      await expectAwsError(
        kinesis.send(new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'p', ExplicitHashKey: above, Data: Buffer.from('x') }] })),
        'InvalidArgumentException',
        message,
      );
      const put = await kinesis.send(
        new PutRecordCommand({ StreamName, PartitionKey: 'p', ExplicitHashKey: MAX_HASH_KEY.toString(), Data: Buffer.from('x') }),
      );
      expect(put.ShardId).toBe('shardId-000000000000');
    });

    it('refuses PutRecords with 0 and with 501 records, and takes 500', async () => {
      await expectAwsError(
        kinesis.send(new PutRecordsCommand({ StreamName, Records: [] })),
        'ValidationException',
        one("'[]'", 'records', 'Member must have length greater than or equal to 1'),
      );
      const records = (n: number) => Array.from({ length: n }, (_, i) => ({ PartitionKey: `p${i}`, Data: Buffer.from('x') }));
      await expectAwsError(
        kinesis.send(new PutRecordsCommand({ StreamName, Records: records(501) })),
        'ValidationException',
        /^1 validation error detected: Value '\[.*\]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/,
      );
      const put = await kinesis.send(new PutRecordsCommand({ StreamName, Records: records(500) }));
      expect(put.FailedRecordCount).toBe(0);
      expect(put.Records).toHaveLength(500);
    });

    it('refuses PutRecords above 5 MiB in total (data and partition keys), and takes exactly 5 MiB', async () => {
      const MiB = 1024 * 1024;
      const full = Array.from({ length: 5 }, (_, i) => ({ PartitionKey: `p${i}`, Data: Buffer.alloc(MiB - 2) }));
      await expectAwsError(
        kinesis.send(new PutRecordsCommand({ StreamName, Records: [...full, { PartitionKey: 'x', Data: Buffer.alloc(1) }] })),
        'InvalidArgumentException',
      );
      // 5 x (1 MiB - 2 bytes of data + 2 bytes of key) is exactly 5 MiB.
      const put = await kinesis.send(new PutRecordsCommand({ StreamName, Records: full }));
      expect(put.FailedRecordCount).toBe(0);
    });
  });

  describe('GetRecords and GetShardIterator', () => {
    it('refuses a GetRecords Limit of 0 and of 10001', async () => {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }),
      );
      await expectAwsError(
        kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 0 })),
        'ValidationException',
        one("'0'", 'limit', 'Member must have value greater than or equal to 1'),
      );
      await expectAwsError(
        kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10001 })),
        'ValidationException',
        one("'10001'", 'limit', 'Member must have value less than or equal to 10000'),
      );
      await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10000 }));
    });

    it('refuses an unknown ShardIteratorType', async () => {
      await expectAwsError(
        kinesis.send(
          new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'OLDEST' as ShardIteratorType }),
        ),
        'ValidationException',
        one(
          "'OLDEST'",
          'shardIteratorType',
          'Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]',
        ),
      );
    });

    it('refuses AT_SEQUENCE_NUMBER without a StartingSequenceNumber, and TRIM_HORIZON with one', async () => {
      const rule =
        'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
        '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ';
      await expectAwsError(
        kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER' })),
        'InvalidArgumentException',
        `${rule}Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.`,
      );
      await expectAwsError(
        kinesis.send(
          new GetShardIteratorCommand({
            StreamName,
            ShardId: 'shardId-000000000000',
            ShardIteratorType: 'TRIM_HORIZON',
            StartingSequenceNumber: '1',
          }),
        ),
        'InvalidArgumentException',
        `${rule}Request specified TRIM_HORIZON and also a StartingSequenceNumber.`,
      );
    });

    it('refuses AT_TIMESTAMP without a Timestamp', async () => {
      await expectAwsError(
        kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP' })),
        'InvalidArgumentException',
        'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
      );
    });
  });

  describe('control plane', () => {
    it('refuses a retention below 24 hours and above 8760 hours', async () => {
      for (const Command of [IncreaseStreamRetentionPeriodCommand, DecreaseStreamRetentionPeriodCommand]) {
        await expectAwsError(
          kinesis.send(new Command({ StreamName, RetentionPeriodHours: 23 })),
          'InvalidArgumentException',
          'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.',
        );
        await expectAwsError(
          kinesis.send(new Command({ StreamName, RetentionPeriodHours: 8761 })),
          'ValidationException',
          one("'8761'", 'retentionPeriodHours', 'Member must have value less than or equal to 8760'),
        );
      }
    });

    it('refuses an increase below the current retention and a decrease above it', async () => {
      const Stream = randomName('retention');
      await createActiveStream(kinesis, { StreamName: Stream, ShardCount: 1 });
      await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: Stream, RetentionPeriodHours: 48 }));
      await expectAwsError(
        kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: Stream, RetentionPeriodHours: 36 })),
        'InvalidArgumentException',
        `Requested retention period (36 hours) for stream ${Stream} can not be shorter than existing retention period (48 hours). ` +
          'Use DecreaseRetentionPeriod API.',
      );
      await expectAwsError(
        kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: Stream, RetentionPeriodHours: 72 })),
        'InvalidArgumentException',
        `Requested retention period (72 hours) for stream ${Stream} can not be longer than existing retention period (48 hours). ` +
          'Use IncreaseRetentionPeriod API.',
      );
      const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: Stream }));
      expect(StreamDescriptionSummary!.RetentionPeriodHours).toBe(48);
      await kinesis.send(new DeleteStreamCommand({ StreamName: Stream }));
    });

    it('refuses a ShardCount of 0', async () => {
      await expectAwsError(
        kinesis.send(new CreateStreamCommand({ StreamName: randomName('zero'), ShardCount: 0 })),
        'ValidationException',
        one("'0'", 'shardCount', 'Member must have value greater than or equal to 1'),
      );
    });

    it('refuses a ListStreams Limit of 0 and of 10001', async () => {
      await expectAwsError(
        kinesis.send(new ListStreamsCommand({ Limit: 0 })),
        'ValidationException',
        one("'0'", 'limit', 'Member must have value greater than or equal to 1'),
      );
      await expectAwsError(
        kinesis.send(new ListStreamsCommand({ Limit: 10001 })),
        'ValidationException',
        one("'10001'", 'limit', 'Member must have value less than or equal to 10000'),
      );
    });

    it('refuses more than 50 tags on a stream, in one call or in total', async () => {
      const tags = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));
      await expectAwsError(
        kinesis.send(new AddTagsToStreamCommand({ StreamName, Tags: tags(51) })),
        'InvalidArgumentException',
        /cannot have more than 50 tags/,
      );
      await kinesis.send(new AddTagsToStreamCommand({ StreamName, Tags: tags(30, 'a') }));
      await expectAwsError(
        kinesis.send(new AddTagsToStreamCommand({ StreamName, Tags: tags(21, 'b') })),
        'InvalidArgumentException',
        /cannot have more than 50 tags/,
      );
      // Re-tagging existing keys does not count twice.
      await kinesis.send(new AddTagsToStreamCommand({ StreamName, Tags: { ...tags(30, 'a'), ...tags(20, 'b') } }));
      const { Tags } = await kinesis.send(new ListTagsForStreamCommand({ StreamName }));
      expect(Tags).toHaveLength(50);
    });

    it('refuses CreateStream with more than 50 tags', async () => {
      const Tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      await expectAwsError(
        kinesis.send(new CreateStreamCommand({ StreamName: randomName('tags'), ShardCount: 1, Tags })),
        'InvalidArgumentException',
        /more than 50 tags/,
      );
    });

    it('answers LimitExceededException when the account shard limit would be exceeded', async () => {
      // A platform of its own, with a limit of 20 open shards and no other stream.
      const limited = await startTestPlatform({ maxShards: 20 });
      const limitedKinesis = client(limited.endpoint, transport);
      try {
        const first = randomName('limit');
        await createActiveStream(limitedKinesis, { StreamName: first, ShardCount: 15 });
        const second = randomName('limit');
        await expectAwsError(
          limitedKinesis.send(new CreateStreamCommand({ StreamName: second, ShardCount: 6 })),
          'LimitExceededException',
          `This request would exceed the shard limit for the account ${ACCOUNT} in us-east-1. Current limit of shards is 20. ` +
            'Number of additional shards that would have resulted in exceeding the shard limit is 1.',
        );
        await expectAwsError(limitedKinesis.send(new DescribeStreamSummaryCommand({ StreamName: second })), 'ResourceNotFoundException');
        // Exactly at the limit is fine.
        await createActiveStream(limitedKinesis, { StreamName: second, ShardCount: 5 });
        await expectAwsError(
          limitedKinesis.send(new CreateStreamCommand({ StreamName: randomName('limit'), ShardCount: 1 })),
          'LimitExceededException',
        );
      } finally {
        limitedKinesis.destroy();
        await limited.close();
      }
    });
  });
});

describe.each(TRANSPORTS)('malformed requests over raw %s', (transport) => {
  let platform: TestPlatform;
  const send = (req: Parameters<typeof rawKinesisRequest>[2]) => rawKinesisRequest(platform.endpoint, transport, req);
  const target = (operation: string) => `Kinesis_20131202.${operation}`;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    await platform.close();
  });

  /** After every bad request the gateway still serves: a ListStreams succeeds. */
  afterEach(async () => {
    const answer = await send({ target: target('ListStreams'), body: '{}' });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ StreamNames: expect.any(Array), HasMoreStreams: false });
    expect(answer.headers['x-amzn-requestid']).toEqual(expect.any(String));
  });

  const expectAwsAnswer = (
    answer: Awaited<ReturnType<typeof send>>,
    status: number,
    type: string,
    message?: string | RegExp,
  ) => {
    expect({ status: answer.status, __type: answer.json?.__type }).toEqual({ status, __type: type });
    expect(answer.json?.message).toEqual(
      message === undefined ? expect.any(String) : typeof message === 'string' ? message : expect.stringMatching(message),
    );
    expect(answer.headers['content-type']).toMatch(/^application\/x-amz-json-1\.1/);
    expect(answer.headers['x-amzn-requestid']).toEqual(expect.any(String));
  };

  it('answers 400 SerializationException to malformed JSON', async () => {
    for (const body of ['{', '{"StreamName": }', 'not json', '{"a":1}}']) {
      expectAwsAnswer(await send({ target: target('ListStreams'), body }), 400, 'SerializationException');
    }
  });

  it('answers SerializationException to a JSON body that is not an object', async () => {
    for (const body of ['[]', '[{"StreamName":"x"}]', '"x"', '42', 'null']) {
      expectAwsAnswer(await send({ target: target('DescribeStream'), body }), 400, 'SerializationException');
    }
  });

  it('answers SerializationException to a member of the wrong JSON type', async () => {
    expectAwsAnswer(
      await send({ target: target('DescribeStream'), body: '{"StreamName":123}' }),
      400,
      'SerializationException',
      'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String',
    );
    expectAwsAnswer(
      await send({ target: target('PutRecords'), body: '{"StreamName":"s","Records":"x"}' }),
      400,
      'SerializationException',
      'Expected list or null',
    );
    expectAwsAnswer(
      await send({ target: target('ListStreams'), body: '{"Limit":"10"}' }),
      400,
      'SerializationException',
      'class java.lang.String can not be converted to an Integer',
    );
    expectAwsAnswer(
      await send({ target: target('PutRecord'), body: '{"StreamName":"s","PartitionKey":"p","Data":"not base64!"}' }),
      400,
      'SerializationException',
    );
  });

  it('answers an AWS-shaped 4xx error to a wrong Content-Type', async () => {
    for (const contentType of ['text/plain', 'application/xml']) {
      const answer = await send({ target: target('ListStreams'), contentType, body: '{}' });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expectAwsAnswer(answer, answer.status, expect.any(String) as unknown as string);
    }
  });

  it('answers UnknownOperationException to an unknown or missing X-Amz-Target', async () => {
    for (const value of [target('NoSuchOperation'), 'Kinesis_20131202.', 'DynamoDB_20120810.ListTables', 'ListStreams', undefined]) {
      expectAwsAnswer(await send({ target: value, body: '{}' }), 400, 'UnknownOperationException');
    }
  });

  const oversized = (mib: number) =>
    JSON.stringify({ StreamName: 's', Records: [{ PartitionKey: 'p', Data: 'A'.repeat(mib * 1024 * 1024) }] });

  it('reads a 17 MiB PutRecords body and refuses it with AWS\'s own error', async () => {
    const answer = await send({ target: target('PutRecords'), body: oversized(17) });
    expect(answer.status).toBe(400);
    expect(['ValidationException', 'InvalidArgumentException']).toContain(answer.json?.__type);
    expect(answer.headers['x-amzn-requestid']).toBeDefined();
  });

  it('refuses a body above the 64 MiB edge limit with an AWS-shaped 413 and keeps serving', async () => {
    // The body is drained, not left unread, so h2c clients get the answer too.
    const answer = await send({ target: target('PutRecords'), body: oversized(65) });
    expectAwsAnswer(answer, 413, expect.any(String) as unknown as string);
  });
});
