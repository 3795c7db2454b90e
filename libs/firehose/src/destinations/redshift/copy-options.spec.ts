import { parseCopyOptions } from './copy-options';
import { connectionFromJdbcUrl } from './jdbc-url';
import { columnNames, quotedName } from './identifiers';
import { recordRows } from './rows';

describe('Redshift COPY options', () => {
  it('reads JSON, CSV and delimited forms', () => {
    expect(parseCopyOptions("format as json 'auto'")).toEqual({ kind: 'json', ignoreCase: false });
    expect(parseCopyOptions("JSON 'auto ignorecase' GZIP")).toEqual({ kind: 'json', ignoreCase: true });
    expect(parseCopyOptions(undefined)).toMatchObject({ kind: 'delimited', csv: false, delimiter: '|', nullAs: '\\N' });
    expect(parseCopyOptions("csv quote as '''' ")).toMatchObject({ csv: true, delimiter: ',', quote: "'" });
    expect(parseCopyOptions("delimiter '\\t' null as 'NULL' escape emptyasnull timeformat 'auto' maxerror 10;")).toMatchObject({
      csv: false,
      delimiter: '\t',
      nullAs: 'NULL',
      escape: true,
      emptyAsNull: true,
    });
  });

  it('refuses what it cannot honour', () => {
    expect(() => parseCopyOptions("json 's3://bucket/jsonpaths.json'")).toThrow(/only 'auto'/);
    expect(() => parseCopyOptions("fixedwidth 'a:3'")).toThrow(/not a supported COPY option/);
    expect(() => parseCopyOptions('csv escape')).toThrow(/CSV cannot be used with ESCAPE/);
    const error = (() => {
      try {
        return parseCopyOptions("json 'auto' csv");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ errorCode: 'Redshift.IncorrectCopyOptions', retryable: false });
  });

  it('splits delimited records with ESCAPE as Redshift does', () => {
    const format = parseCopyOptions('escape');
    const columns = [
      { name: 'a', stringLike: true },
      { name: 'b', stringLike: true },
    ];
    expect(recordRows(Buffer.from('x\\|y|z\\\nw\n'), format, columns)).toEqual([['x|y', 'z\nw']]);
  });
});

describe('Redshift connection and names', () => {
  it('turns JDBC URLs into pg settings', () => {
    expect(connectionFromJdbcUrl('jdbc:redshift://cluster.example.com/dev', 'awsuser', 'pw')).toMatchObject({
      host: 'cluster.example.com',
      port: 5439,
      database: 'dev',
      user: 'awsuser',
      password: 'pw',
      ssl: undefined,
    });
    expect(connectionFromJdbcUrl('jdbc:postgresql://127.0.0.1:6543/db?user=u&sslmode=verify-full')).toMatchObject({
      port: 6543,
      user: 'u',
      ssl: { rejectUnauthorized: true },
    });
    expect(() => connectionFromJdbcUrl('postgres://x/y')).toThrow(/jdbc:redshift/);
  });

  it('folds unquoted names to lower case and quotes them', () => {
    expect(quotedName('Public.Events', 'DataTableName')).toBe('"public"."events"');
    expect(quotedName('"MixedCase"', 'DataTableName')).toBe('"MixedCase"');
    expect(() => quotedName('events; drop table x', 'DataTableName')).toThrow(/Invalid DataTableName/);
    expect(columnNames('Id, name ,"Quoted"')).toEqual(['id', 'name', 'Quoted']);
  });
});
