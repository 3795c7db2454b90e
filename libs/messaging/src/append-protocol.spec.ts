import { appendRequestSize, decodeAppendRequest, encodeAppendRequest } from './append-protocol';

describe('append protocol', () => {
  const messages = [Buffer.from('first'), Buffer.alloc(0), Buffer.from([0, 255, 1, 254]), Buffer.alloc(70_000, 7)];

  it('round-trips messages in order, empty and binary ones included', () => {
    expect(decodeAppendRequest(encodeAppendRequest(messages))).toEqual(messages);
  });

  it('round-trips no messages', () => {
    expect(decodeAppendRequest(encodeAppendRequest([]))).toEqual([]);
  });

  it('has the documented layout: count u16 | (length u32 | bytes)*', () => {
    const request = encodeAppendRequest([Buffer.from('ab'), Buffer.from('c')]);
    expect(request.toString('hex')).toBe('0200' + '02000000' + '6162' + '01000000' + '63');
  });

  it('predicts the size of the request it encodes', () => {
    expect(appendRequestSize(messages)).toBe(encodeAppendRequest(messages).length);
    expect(appendRequestSize([])).toBe(2);
  });

  it('decodes from a view into a larger buffer, answering copies the actor may stamp', () => {
    const request = encodeAppendRequest([Buffer.from('abc'), Buffer.from('de')]);
    const backing = Buffer.concat([Buffer.from('zz'), request]);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, request.length);
    const decoded = decodeAppendRequest(view);
    expect(decoded.map(String)).toEqual(['abc', 'de']);
    decoded[0][0] = 0x41;
    expect(backing.subarray(2)).toEqual(request);
  });
});
