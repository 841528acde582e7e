// What people type as a server address, normalised or refused with the reason the window shows.
import { describe, expect, test } from 'vitest';
import { SignInError } from '../../../main/core/ports';
import { parseServerUrl } from '../../../main/core/server-url';

describe('server address', () => {
  test('normalises what people type', () => {
    expect(parseServerUrl(' signoff.example.com/ ', false)).toMatchObject({
      baseUrl: 'https://signoff.example.com',
      wsBase: 'wss://signoff.example.com',
      origin: 'https://signoff.example.com',
    });
    expect(parseServerUrl('wss://corp.example:8443/signoff/', false).baseUrl).toBe(
      'https://corp.example:8443/signoff',
    );
    expect(parseServerUrl('http://127.0.0.1:8080', false).wsBase).toBe('ws://127.0.0.1:8080');
    expect(parseServerUrl('http://localhost:1', false).loopback).toBe(true);
    expect(parseServerUrl('http://[::1]:1', false).loopback).toBe(true);
    expect(parseServerUrl('http://intranet:1', true).secure).toBe(false);
  });

  test.each([
    ['http://intranet.example', 'insecure-url'],
    ['http://127.evil.example', 'insecure-url'],
    ['ftp://example.com', 'invalid-url'],
    ['https://a@example.com', 'invalid-url'],
    ['https://example.com/?x=1', 'invalid-url'],
    ['', 'invalid-url'],
    ['https://exa mple.com', 'invalid-url'],
  ])('%s → %s', (input, kind) => {
    const error = (() => {
      try {
        parseServerUrl(input, false);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).kind).toBe(kind);
  });
});
