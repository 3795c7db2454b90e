import { startTestPlatform, type TestPlatform } from '../support/platform';

describe('gateway health', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.close());

  it('is live, and ready while NATS and Postgres answer', async () => {
    expect((await fetch(`${platform.endpoint}/health/live`)).status).toBe(200);
    const ready = await fetch(`${platform.endpoint}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
  });

  it('is not ready once its database is gone', async () => {
    await platform.platform.dataSource.destroy();
    const ready = await fetch(`${platform.endpoint}/health/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('Postgres');
    await platform.platform.dataSource.initialize();
  });
});
