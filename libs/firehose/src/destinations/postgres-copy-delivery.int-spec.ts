import { Client } from 'pg';
import { testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { FirehoseRecord } from '../model';
import { postgresCopyDeliveryFrom, PostgresCopyDelivery } from './postgres-copy-delivery';

/** The test database as Firehose would name it: a JDBC URL plus Username/Password. */
function jdbc(): { ClusterJDBCURL: string; Username?: string; Password?: string } {
  const url = new URL(testDatabaseUrl());
  return {
    ClusterJDBCURL: `jdbc:postgresql://${url.hostname}:${url.port || 5432}${url.pathname}`,
    Username: decodeURIComponent(url.username) || undefined,
    Password: decodeURIComponent(url.password) || undefined,
  };
}

let seq = 0;
function record(text: string): FirehoseRecord {
  seq += 1;
  return { recordId: `r-${seq}`, data: Buffer.from(text), approximateArrivalTimestamp: 0, position: { seq, index: 0 } };
}

describe('PostgresCopyDelivery against Postgres', () => {
  let admin: Client;
  const deliveries: PostgresCopyDelivery[] = [];
  const tables: string[] = [];
  const streams: string[] = [];

  beforeAll(async () => {
    admin = new Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(deliveries.map((d) => d.close()));
    for (const name of tables) await admin.query(`DROP TABLE IF EXISTS ${name}`);
    await admin.query('DELETE FROM shardline_firehose_loads WHERE delivery_stream = ANY($1)', [streams]);
    await admin.end();
  });

  async function table(columns: string): Promise<string> {
    const name = randomName('fh').replace(/-/g, '_');
    await admin.query(`CREATE TABLE ${name} (${columns})`);
    tables.push(name);
    return name;
  }

  function delivery(
    tableName: string,
    copy: { DataTableColumns?: string; CopyOptions?: string },
    deliveryStream = randomName('stream'),
  ) {
    const d = postgresCopyDeliveryFrom(
      { ...jdbc(), CopyCommand: { DataTableName: tableName, ...copy } },
      { deliveryStream },
    );
    deliveries.push(d);
    streams.push(deliveryStream);
    return d;
  }

  it("loads JSON records by column name with json 'auto'", async () => {
    const name = await table('id int, name text, tags jsonb, active boolean, score numeric');
    const target = delivery(name, { DataTableColumns: 'id,name,tags,active,score', CopyOptions: "format as json 'auto'" });

    const { failed } = await target.deliver({
      batchId: 'b1',
      records: [
        record('{"id":1,"name":"ann","tags":["a","b"],"active":true,"score":1.5}\n'),
        record('{"id":2,"name":"bob","extra":"ignored"}\n{"id":3,"NAME":"case matters"}\n'),
      ],
    });

    expect(failed).toEqual([]);
    const rows = await admin.query(`SELECT id, name, tags, active, score FROM ${name} ORDER BY id`);
    expect(rows.rows).toEqual([
      { id: 1, name: 'ann', tags: ['a', 'b'], active: true, score: '1.5' },
      { id: 2, name: 'bob', tags: null, active: null, score: null },
      { id: 3, name: null, tags: null, active: null, score: null },
    ]);
  });

  it("matches field names case-insensitively with 'auto ignorecase'", async () => {
    const name = await table('id int, name text');
    const target = delivery(name, { CopyOptions: "json 'auto ignorecase'" });

    await target.deliver({ batchId: 'b1', records: [record('{"ID":7,"Name":"Zed"}')] });

    expect((await admin.query(`SELECT id, name FROM ${name}`)).rows).toEqual([{ id: 7, name: 'Zed' }]);
  });

  it('loads pipe-delimited text by default, with \\N and empty fields as Redshift reads them', async () => {
    const name = await table('id int, name varchar(10), note text, amount int');
    const target = delivery(name, {});

    const { failed } = await target.deliver({
      batchId: 'b1',
      records: [record('1|ann|\\N|\n2||a\\b c|5\n'), record('3|carol')],
    });

    expect(failed).toMatchObject([{ record: { recordId: expect.any(String) }, type: 'redshift-failed', errorCode: 'Redshift.DataLoadFailed' }]);
    expect(failed[0].errorMessage).toContain('Delimiter not found');
    const rows = await admin.query(`SELECT id, name, note, amount FROM ${name} ORDER BY id`);
    expect(rows.rows).toEqual([
      { id: 1, name: 'ann', note: null, amount: null },
      { id: 2, name: '', note: 'a\\b c', amount: 5 },
    ]);
  });

  it("loads CSV with quotes and delimiter '|' options", async () => {
    const name = await table('id int, name text');
    const csv = delivery(name, { CopyOptions: 'csv' });
    await csv.deliver({ batchId: 'b1', records: [record('1,"Smith, ""J"""\n2,"two\nlines"\n')] });
    const piped = delivery(name, { CopyOptions: "delimiter ',' emptyasnull" });
    await piped.deliver({ batchId: 'b1', records: [record('3,\n')] });

    expect((await admin.query(`SELECT id, name FROM ${name} ORDER BY id`)).rows).toEqual([
      { id: 1, name: 'Smith, "J"' },
      { id: 2, name: 'two\nlines' },
      { id: 3, name: null },
    ]);
  });

  it('routes bad JSON and values of the wrong type to the error output and loads the rest', async () => {
    const name = await table('id int NOT NULL, name varchar(5)');
    const target = delivery(name, { CopyOptions: "json 'auto'" });
    const records = [
      record('{"id":1,"name":"ok"}'),
      record('{"id":2,"name":'),
      record('{"id":"three","name":"bad"}'),
      record('{"id":4,"name":"far too long"}'),
      record('{"name":"no id"}'),
      record('{"id":6,"name":"fine"}'),
    ];

    const { failed } = await target.deliver({ batchId: 'b1', records });

    expect(failed.map((f) => f.record.recordId)).toEqual([1, 2, 3, 4].map((i) => records[i].recordId));
    expect(failed.every((f) => f.type === 'redshift-failed' && f.errorCode === 'Redshift.DataLoadFailed')).toBe(true);
    expect(failed[0].errorMessage).toContain('Invalid JSON');
    expect(failed[1].errorMessage).toContain('invalid input syntax for type integer');
    expect((await admin.query(`SELECT id FROM ${name} ORDER BY id`)).rows).toEqual([{ id: 1 }, { id: 6 }]);
  });

  it('does not load a batch twice, and reports its failures again', async () => {
    const name = await table('id int');
    const stream = randomName('stream');
    const target = delivery(name, { CopyOptions: "json 'auto'" }, stream);
    const restarted = delivery(name, { CopyOptions: "json 'auto'" }, stream);
    const batch = { batchId: 'same-batch', records: [record('{"id":1}'), record('{"id":"x"}'), record('{"id":2}')] };

    const first = await target.deliver(batch);
    const second = await target.deliver(batch);
    // Another delivery object (a restarted pipeline) of the same stream sees the bookkeeping too.
    const [third, fourth] = await Promise.all([restarted.deliver(batch), restarted.deliver(batch)]);

    expect((await admin.query(`SELECT id FROM ${name} ORDER BY id`)).rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(second.failed).toEqual(first.failed);
    expect(third.failed).toEqual(first.failed);
    expect(fourth.failed).toEqual(first.failed);
    expect(first.failed.map((f) => f.record.recordId)).toEqual([batch.records[1].recordId]);
    const next = await target.deliver({ batchId: 'next-batch', records: [record('{"id":3}')] });
    expect(next.failed).toEqual([]);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${name}`)).rows).toEqual([{ n: 3 }]);
  });

  it('reports a missing table as a retryable Redshift.TableNotFound', async () => {
    const target = delivery('no_such_table_here', { CopyOptions: "json 'auto'" });
    await expect(target.deliver({ batchId: 'b1', records: [record('{}')] })).rejects.toMatchObject({
      name: 'DeliveryError',
      errorCode: 'Redshift.TableNotFound',
      retryable: true,
    });
  });

  it('reports an unreachable cluster as a retryable Redshift.ConnectionFailed', async () => {
    const unreachable = postgresCopyDeliveryFrom(
      { ClusterJDBCURL: 'jdbc:redshift://127.0.0.1:9/dev', Username: 'u', CopyCommand: { DataTableName: 't' } },
      { deliveryStream: 'unreachable' },
    );
    await expect(unreachable.deliver({ batchId: 'b1', records: [record('x')] })).rejects.toMatchObject({
      errorCode: 'Redshift.ConnectionFailed',
      retryable: true,
    });
    await unreachable.close();
  });
});
