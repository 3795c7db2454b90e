import { deriveStreamStatus, isGone, StreamLifecycle } from './stream-status';

const at = (iso: string) => new Date(iso);

describe('deriveStreamStatus', () => {
  const lifecycle: StreamLifecycle = { status: 'ACTIVE', readyAt: at('2024-01-01T00:00:10Z'), goneAt: null };

  it('is CREATING before readyAt', () => {
    expect(deriveStreamStatus(lifecycle, at('2024-01-01T00:00:09.999Z'))).toBe('CREATING');
  });

  it('is the stored status from readyAt on', () => {
    expect(deriveStreamStatus(lifecycle, at('2024-01-01T00:00:10Z'))).toBe('ACTIVE');
    expect(deriveStreamStatus({ ...lifecycle, status: 'UPDATING' }, at('2024-01-02T00:00:00Z'))).toBe('UPDATING');
  });

  it('is UPDATING until updatingUntil, then the stored status', () => {
    const updating = { ...lifecycle, updatingUntil: at('2024-01-01T00:01:00Z') };
    expect(deriveStreamStatus(updating, at('2024-01-01T00:00:59.999Z'))).toBe('UPDATING');
    expect(deriveStreamStatus(updating, at('2024-01-01T00:01:00Z'))).toBe('ACTIVE');
    expect(deriveStreamStatus({ ...updating, goneAt: at('2024-01-01T00:02:00Z') }, at('2024-01-01T00:00:30Z'))).toBe('DELETING');
  });

  it('is DELETING once deletion started, even while still creating', () => {
    const deleting = { ...lifecycle, goneAt: at('2024-01-01T00:00:20Z') };
    expect(deriveStreamStatus(deleting, at('2024-01-01T00:00:05Z'))).toBe('DELETING');
    expect(deriveStreamStatus(deleting, at('2024-01-01T00:00:15Z'))).toBe('DELETING');
  });
});

describe('isGone', () => {
  it('is false without a goneAt', () => {
    expect(isGone({ goneAt: null }, at('2100-01-01T00:00:00Z'))).toBe(false);
  });

  it('turns true exactly at goneAt', () => {
    const goneAt = at('2024-01-01T00:00:20Z');
    expect(isGone({ goneAt }, at('2024-01-01T00:00:19.999Z'))).toBe(false);
    expect(isGone({ goneAt }, goneAt)).toBe(true);
  });
});
