import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { createDataSource } from '../data-source';
import { PLUGIN_VERSION_CHANNEL, PluginRepository, type NewPluginVersion } from './plugin.repository';

describe('PluginRepository', () => {
  let dataSource: DataSource;
  let plugins: PluginRepository;

  beforeAll(async () => {
    dataSource = await createDataSource(testDatabaseUrl()).initialize();
    plugins = new PluginRepository(dataSource);
  });
  afterAll(() => dataSource.destroy());

  const version = (name: string, code: string): NewPluginVersion => ({
    name,
    kind: 'js',
    code: Buffer.from(code),
    handler: 'handler',
    environment: { A: '1' },
    memoryMiB: 128,
    timeoutSeconds: 60,
    description: '',
  });

  it('numbers versions 1, 2, ... even when published concurrently, and keeps each one’s code', async () => {
    const name = randomName('p');
    const published = await Promise.all(['a', 'b', 'c', 'd'].map((code) => plugins.publish(version(name, code))));
    expect(published.map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
    expect((await plugins.plugin(name))?.latestVersion).toBe(4);
    expect((await plugins.versions(name)).map((v) => v.version)).toEqual([1, 2, 3, 4]);
    const first = published.find((v) => v.version === 1)!;
    expect((await plugins.code(name, 1))?.toString()).toHaveLength(1);
    expect(await plugins.version(name, 'latest')).toMatchObject({ version: 4, environment: { A: '1' }, codeSize: 1 });
    expect(first.codeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await plugins.version(name, 9)).toBeUndefined();
  });

  it('announces new versions and deletions on its NOTIFY channel', async () => {
    const name = randomName('p');
    const listener = new Client({ connectionString: testDatabaseUrl() });
    await listener.connect();
    const notices: unknown[] = [];
    listener.on('notification', (msg) => msg.channel === PLUGIN_VERSION_CHANNEL && notices.push(JSON.parse(msg.payload!)));
    await listener.query(`LISTEN ${PLUGIN_VERSION_CHANNEL}`);
    try {
      await plugins.publish(version(name, 'x'));
      expect(await plugins.delete(name)).toBe(true);
      expect(await plugins.delete(name)).toBe(false);
      expect(await plugins.versions(name)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notices.filter((n) => (n as { name: string }).name === name)).toEqual([{ name, version: 1 }, { name, version: 0 }]);
    } finally {
      await listener.end();
    }
  });
});
