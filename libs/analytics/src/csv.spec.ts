import { splitCsv } from './csv';

describe('splitCsv', () => {
  it('splits plain fields, keeps empty ones and drops the line end', () => {
    expect(splitCsv('a,b,,d\n')).toEqual(['a', 'b', '', 'd']);
    expect(splitCsv('1;2\r\n', ';')).toEqual(['1', '2']);
    expect(splitCsv('')).toEqual(['']);
  });

  it('reads quoted fields with delimiters and doubled quotes', () => {
    expect(splitCsv('"GET /a,b HTTP/1.1",200,"say ""hi"""')).toEqual(['GET /a,b HTTP/1.1', '200', 'say "hi"']);
    expect(splitCsv('x,"",y')).toEqual(['x', '', 'y']);
  });

  it('refuses an unterminated quote', () => {
    expect(() => splitCsv('"open,1')).toThrow('unterminated');
  });
});
