import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('answers whole events only, keeping a partial one for the next chunk', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 3000\n\nid: 1\ndata: {"seq":1}\n\nid: 2\nda')).toEqual([{ id: '1', event: 'message', data: '{"seq":1}' }]);
    expect(parser.push('ta: {"seq":2}\n\n')).toEqual([{ id: '2', event: 'message', data: '{"seq":2}' }]);
  });

  it('drops heartbeat comments and joins multi-line data', () => {
    const parser = new SseParser();
    expect(parser.push(': heartbeat\n\nevent: note\ndata: a\ndata: b\n\n')).toEqual([{ event: 'note', data: 'a\nb' }]);
  });

  it('accepts CRLF line endings split across chunks', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\r\ndata: x\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ id: '7', event: 'message', data: 'x' }]);
  });
});
