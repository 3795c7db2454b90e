import { SseParser } from './sse';

describe('SseParser', () => {
  it('parses events split anywhere across chunks, skipping comments', () => {
    const text = 'retry: 1000\nid: 0:0:0\n: connected\n\nid: 0:1:0\ndata: {"a":1}\n\n: heartbeat\n\nevent: problem\ndata: {"status":404}\n\n';
    for (const size of [1, 3, 7, text.length]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.feed(text.slice(i, i + size)));
      expect(events).toEqual([
        { event: 'message', data: '{"a":1}', id: '0:1:0' },
        { event: 'problem', data: '{"status":404}', id: '0:1:0' },
      ]);
      expect(parser.lastEventId).toBe('0:1:0');
    }
  });

  it('joins multi-line data, accepts CRLF and fields without a space or value', () => {
    const parser = new SseParser();
    expect(parser.feed('data:one\r\ndata: two\r\nid\r\n\r\n')).toEqual([{ event: 'message', data: 'one\ntwo', id: '' }]);
    expect(parser.feed('data: half')).toEqual([]);
    expect(parser.feed('\n\n')).toEqual([{ event: 'message', data: 'half', id: '' }]);
  });

  it('remembers the id of an event without data (the tail\'s opening event)', () => {
    const parser = new SseParser();
    expect(parser.feed('id: 0:5:0,1:2:0\n: connected\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('0:5:0,1:2:0');
  });
});
