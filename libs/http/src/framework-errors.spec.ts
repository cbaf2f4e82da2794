import type { Socket } from 'node:net';
import { answerClientError, type ClientError } from './framework-errors.js';

/** A socket that records what is written and whether it was destroyed. */
function fakeSocket(state: { destroyed?: boolean; writable?: boolean } = {}): Socket & { written: string[]; destroyedWith: unknown[] } {
  const socket = {
    destroyed: state.destroyed ?? false,
    writable: state.writable ?? true,
    written: [] as string[],
    destroyedWith: [] as unknown[],
    write(text: string) {
      socket.written.push(text);
      return true;
    },
    destroy(error?: unknown) {
      socket.destroyedWith.push(error);
      socket.destroyed = true;
    },
  };
  return socket as unknown as Socket & { written: string[]; destroyedWith: unknown[] };
}

const parserError = (code: string, packet?: string): ClientError => Object.assign(new Error(code), { code, ...(packet === undefined ? {} : { rawPacket: Buffer.from(packet, 'latin1') }) });

function answerOf(written: string): { head: string; body: unknown } {
  const [head = '', body = ''] = written.split('\r\n\r\n');
  return { head, body: JSON.parse(body) };
}

describe('answerClientError', () => {
  const logged: Record<string, unknown>[] = [];
  const log = (fields: Record<string, unknown>): void => void logged.push(fields);

  it.each([
    ['HPE_HEADER_OVERFLOW', 'GET /admin/v1/clients HTTP/1.1\r\nX-Padding: aaaa', 431, 'Request Header Fields Too Large', { code: 'request_header_fields_too_large', message: 'the request line or header block is too large' }],
    ['HPE_INVALID_METHOD', 'GARBAGE\r\n', 400, 'Bad Request', { code: 'bad_request', message: 'the request could not be parsed as HTTP/1.1' }],
    ['ERR_HTTP_REQUEST_TIMEOUT', undefined, 408, 'Request Timeout', { code: 'request_timeout', message: 'the request was not received in time' }],
  ])('answers %s in the admin shape with a new request id, then closes', (code, packet, status, reason, body) => {
    const socket = fakeSocket();
    const error = parserError(code, packet);
    answerClientError(error, socket, log);
    const { head, body: sent } = answerOf(socket.written[0]!);
    const requestId = /\r\nX-Request-Id: ([0-9a-f-]{36})\r\n/.exec(head)?.[1];
    expect(head.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${reason}`);
    expect(head).toContain('\r\nCache-Control: no-store\r\n');
    expect(head).toContain('\r\nConnection: close');
    expect(sent).toEqual({ ...body, requestId });
    expect(socket.destroyedWith).toEqual([error]);
    expect(logged.at(-1)).toEqual({ reqId: requestId, status, reason: code });
  });

  it('answers in the RFC 6749 5.2 shape when the request line names an OAuth endpoint', () => {
    const socket = fakeSocket();
    answerClientError(parserError('HPE_HEADER_OVERFLOW', 'POST /oauth2/token HTTP/1.1\r\nX-Padding: aaaa'), socket, log);
    expect(answerOf(socket.written[0]!).body).toEqual({ error: 'invalid_request', error_description: 'the request line or header block is too large' });
  });

  it('writes nothing on a reset or closed connection, and only closes one it cannot write to', () => {
    const reset = fakeSocket();
    answerClientError(parserError('ECONNRESET'), reset, log);
    const closed = fakeSocket({ destroyed: true });
    answerClientError(parserError('HPE_HEADER_OVERFLOW'), closed, log);
    const unwritable = fakeSocket({ writable: false });
    answerClientError(parserError('HPE_HEADER_OVERFLOW'), unwritable, log);
    expect([reset.written, reset.destroyedWith, closed.written, closed.destroyedWith, unwritable.written, unwritable.destroyedWith.length]).toEqual([[], [], [], [], [], 1]);
  });
});
