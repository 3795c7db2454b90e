import { ShardlineError } from '../errors';
import { validate } from './engine';
import { putRecordsTable } from './put-records';
import { decodeBase64 } from './serialization';
import { defineTable, type ValidationTable } from './table';

/** Runs `fn` and returns the ShardlineError it throws. */
function caught(fn: () => unknown): ShardlineError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ShardlineError) return err;
    throw err;
  }
  throw new Error('expected a ShardlineError');
}

function fails(table: ValidationTable, body: unknown): { type: string; message: string } {
  const err = caught(() => validate(table, body));
  return { type: err.type, message: err.message };
}

const one = (path: string, value: string, rule: string) => ({
  type: 'ValidationException',
  message: `1 validation error detected: Value ${value} at '${path}' failed to satisfy constraint: ${rule}`,
});

const table = defineTable({
  Name: { type: 'String', notNull: true, pattern: '[a-z]+', minLength: 2, maxLength: 4 },
  Mode: { type: 'String', enum: ['A', 'B'] },
  Count: { type: 'Integer', min: 1, max: 10 },
  Flag: { type: 'Boolean' },
  When: { type: 'Timestamp' },
  Payload: { type: 'Blob', maxLength: 3 },
  Keys: { type: 'List', maxLength: 2, member: { type: 'String', minLength: 1, maxLength: 3 } },
  Tags: { type: 'Map', maxLength: 2, key: { type: 'String', minLength: 1, maxLength: 3 }, member: { type: 'String', maxLength: 2 } },
  Inner: { type: 'Structure', fields: { Leaf: { type: 'String', notNull: true } } },
});

describe('validate: constraints in AWS words', () => {
  it('accepts a valid body and returns it', () => {
    const body = { Name: 'abc' };
    expect(validate(table, body)).toBe(body);
  });

  it('reports a missing required member', () => {
    expect(fails(table, {})).toEqual(one('name', 'null', 'Member must not be null'));
  });

  it('treats JSON null as missing', () => {
    expect(fails(table, { Name: null })).toEqual(one('name', 'null', 'Member must not be null'));
  });

  it('reports a pattern violation before the length one', () => {
    expect(fails(table, { Name: 'A' }).message).toBe(
      "2 validation errors detected: Value 'A' at 'name' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [a-z]+; ' +
        "Value 'A' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
  });

  it('reports a too long string', () => {
    expect(fails(table, { Name: 'abcde' })).toEqual(
      one('name', "'abcde'", 'Member must have length less than or equal to 4'),
    );
  });

  it('reports an enum violation', () => {
    expect(fails(table, { Name: 'ab', Mode: 'C' })).toEqual(
      one('mode', "'C'", 'Member must satisfy enum value set: [A, B]'),
    );
  });

  it('reports integer bounds', () => {
    expect(fails(table, { Name: 'ab', Count: 0 })).toEqual(
      one('count', "'0'", 'Member must have value greater than or equal to 1'),
    );
    expect(fails(table, { Name: 'ab', Count: 11 })).toEqual(
      one('count', "'11'", 'Member must have value less than or equal to 10'),
    );
  });

  it('checks a blob length on its decoded bytes and shows it as AWS does', () => {
    expect(validate(table, { Name: 'ab', Payload: 'AAAA' })).toMatchObject({ Payload: Buffer.from([0, 0, 0]) });
    expect(fails(table, { Name: 'ab', Payload: 'AAAAAA==' })).toEqual(
      one('payload', "'java.nio.HeapByteBuffer[pos=0 lim=4 cap=4]'", 'Member must have length less than or equal to 3'),
    );
  });

  it('reports list length and scalar members once for the whole list', () => {
    expect(fails(table, { Name: 'ab', Keys: ['a', 'b', 'c'] })).toEqual(
      one('keys', "'[a, b, c]'", 'Member must have length less than or equal to 2'),
    );
    expect(fails(table, { Name: 'ab', Keys: ['abcd'] })).toEqual(
      one(
        'keys',
        "'[abcd]'",
        'Member must satisfy constraint: [Member must have length less than or equal to 3, ' +
          'Member must have length greater than or equal to 1]',
      ),
    );
  });

  it('reports map keys and values', () => {
    expect(fails(table, { Name: 'ab', Tags: { abcd: 'v' } })).toEqual(
      one(
        'tags',
        "'{abcd=v}'",
        'Map keys must satisfy constraint: [Member must have length less than or equal to 3, ' +
          'Member must have length greater than or equal to 1]',
      ),
    );
    expect(fails(table, { Name: 'ab', Tags: { k: 'vvv' } })).toEqual(
      one('tags', "'{k=vvv}'", 'Map value must satisfy constraint: [Member must have length less than or equal to 2]'),
    );
  });

  it('names nested members with camelCase paths', () => {
    expect(fails(table, { Name: 'ab', Inner: {} })).toEqual(one('inner.leaf', 'null', 'Member must not be null'));
  });

  it('uses 1-based list positions with .member, as AWS does', () => {
    const body = { StreamName: 's', Records: [{ Data: '', PartitionKey: 'a' }, { Data: '' }] };
    expect(fails(putRecordsTable, body)).toEqual(
      one('records.2.member.partitionKey', 'null', 'Member must not be null'),
    );
  });

  it('lists errors in member order and caps them at 10', () => {
    const records = Array.from({ length: 12 }, () => ({ Data: '' }));
    const { message } = fails(putRecordsTable, { StreamName: 's', Records: records });
    expect(message.startsWith('10 validation errors detected: ')).toBe(true);
    expect(message.split('; ')).toHaveLength(10);
    expect(message).toContain("'records.10.member.partitionKey'");
    expect(message).not.toContain("'records.11.member.partitionKey'");
  });

  it('runs the table check only once the members are valid', () => {
    const checked = defineTable<{ A?: string }>({ A: { type: 'String', maxLength: 1 } }, () => {
      throw new ShardlineError('InvalidArgumentException', 'custom');
    });
    expect(fails(checked, { A: 'xx' }).type).toBe('ValidationException');
    expect(fails(checked, { A: 'x' })).toEqual({ type: 'InvalidArgumentException', message: 'custom' });
  });
});

describe('validate: serialization errors', () => {
  const ser = (message: string) => ({ type: 'SerializationException', message });
  const number = 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber';

  it.each([
    [{ Name: 23 }, `${number} can not be converted to an String`],
    [{ Name: true }, 'class java.lang.Boolean can not be converted to an String'],
    [{ Name: [] }, 'Start of list found where not expected'],
    [{ Name: {} }, 'Start of structure or map found where not expected.'],
    [{ Count: '23' }, 'class java.lang.String can not be converted to an Integer'],
    [{ Count: true }, 'class java.lang.Boolean can not be converted to an Integer'],
    [{ Flag: 23 }, `${number} can not be converted to an Boolean`],
    [{ Flag: '23' }, "'23' can not be converted to an Boolean"],
    [{ Payload: 23 }, `${number} can not be converted to a Blob`],
    [{ Payload: true }, 'class java.lang.Boolean can not be converted to a Blob'],
    [{ Payload: {} }, 'Start of structure or map found where not expected.'],
    [{ Keys: '23' }, 'Expected list or null'],
    [{ Keys: {} }, 'Start of structure or map found where not expected.'],
    [{ Tags: 23 }, 'Expected map or null'],
    [{ Tags: [] }, 'Start of list found where not expected'],
    [{ Inner: 'x' }, 'Expected null'],
    [{ Inner: [] }, 'Start of list found where not expected'],
    [{ When: true }, 'class java.lang.Boolean can not be converted to a Timestamp'],
  ])('%j -> %s', (body, message) => {
    expect(fails(table, { Name: 'ab', ...body })).toEqual(ser(message));
  });

  it.each([
    ['23456', 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
    ['=+/=', "Invalid Base64 character: '='"],
    ['ab!d', "Invalid Base64 character: '!'"],
    ['ab-_', "Invalid Base64 character: '-'"],
    ['+/+=', 'Invalid last non-pad Base64 character dectected'],
  ])('blob %s is refused: %s', (text, reason) => {
    expect(fails(table, { Name: 'ab', Payload: text })).toEqual(ser(`'${text}' can not be converted to a Blob: ${reason}`));
  });

  it('wins over validation errors found earlier in the body', () => {
    const body = { StreamName: 's', Records: [{ Data: '' }, { Data: 5, PartitionKey: 'a' }] };
    expect(fails(putRecordsTable, body).type).toBe('SerializationException');
  });

  it('refuses a body that is not an object', () => {
    expect(fails(table, [])).toEqual(ser('Start of list found where not expected'));
  });
});

describe('validate: normalization in place', () => {
  it('decodes blobs, converts timestamps, truncates integers, accepts boolean strings', () => {
    const body = validate(table, { Name: 'ab', Payload: 'AQID', When: 1700000000.5, Count: 3.9, Flag: 'TRUE' });
    expect(body).toEqual({ Name: 'ab', Payload: Buffer.from([1, 2, 3]), When: new Date(1700000000500), Count: 3, Flag: true });
  });

  it('is harmless when run twice on the same body', () => {
    const body = { Name: 'ab', Payload: 'AQID', When: 1700000000 };
    validate(table, body);
    expect(validate(table, body)).toEqual({ Name: 'ab', Payload: Buffer.from([1, 2, 3]), When: new Date(1700000000000) });
  });

  it('decodes the records of a PutRecords body in their own objects', () => {
    const body = { StreamName: 's', Records: [{ Data: 'aGk=', PartitionKey: 'a' }] };
    const input = validate(putRecordsTable, body);
    expect(input.Records[0].Data.toString()).toBe('hi');
    expect(input.Records[0]).toBe(body.Records[0]);
  });
});

describe('decodeBase64 agrees with a strict reference decoder', () => {
  const strict = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  const canonical = (text: string) => strict.test(text) && Buffer.from(text, 'base64').toString('base64') === text;
  const alphabet = 'ABCab019+/=-_ !';

  it('on 5000 random short strings', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 5000; n++) {
      const length = 4 * Math.floor(random() * 3);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      let accepted = true;
      try {
        decodeBase64(text);
      } catch {
        accepted = false;
      }
      expect([text, accepted]).toEqual([text, canonical(text)]);
    }
  });
});

describe('validate: hot path', () => {
  // A guard against an accidental per-record regex compile or a quadratic pass (tens of seconds),
  // not a benchmark: ~0.3 s on a quiet machine, so a loaded CI machine stays well inside 5 s.
  it('validates 200 PutRecords of 500 x 1 KiB within 5 s', () => {
    const data = Buffer.alloc(1024, 7).toString('base64');
    const records = Array.from({ length: 500 }, (_, i) => ({ Data: data, PartitionKey: `pk-${i}` }));
    const text = JSON.stringify({ StreamName: 'stream', Records: records });
    let elapsed = 0;
    for (let round = 0; round < 200; round++) {
      const body: unknown = JSON.parse(text);
      const started = performance.now();
      validate(putRecordsTable, body);
      elapsed += performance.now() - started;
    }
    expect(elapsed).toBeLessThan(5000);
  });
});
