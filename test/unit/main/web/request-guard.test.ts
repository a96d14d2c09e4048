import { describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  isSameOrigin,
  presentedToken,
  tokenCookie,
  tokenCookieName,
  tokenMatches,
} from '../../../../main/web/request-guard';

describe('isLoopbackHost', () => {
  it('accepts loopback names with or without a port', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:6006', 'localhost:1', 'LOCALHOST:8000', '[::1]:6006', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
  });

  it('refuses every other name, look-alikes included', () => {
    for (const host of [
      undefined,
      '',
      'evil.example',
      '127.0.0.1.evil.example',
      'localhost.evil',
      '127.0.0.2:80',
      '[::2]:1',
      'localhost:',
      'localhost:99999x',
      '0.0.0.0',
    ]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe('isSameOrigin', () => {
  it('accepts no Origin, or the Host as an http origin', () => {
    expect(isSameOrigin({ host: '127.0.0.1:5' })).toBe(true);
    expect(isSameOrigin({ host: '127.0.0.1:5', origin: 'http://127.0.0.1:5' })).toBe(true);
  });

  it('refuses another origin, another port, https and "null"', () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:6', 'https://127.0.0.1:5', 'null'])
      expect(isSameOrigin({ host: '127.0.0.1:5', origin })).toBe(false);
  });
});

describe('presentedToken', () => {
  const name = tokenCookieName(6006);

  it('reads the header first, then this port\u2019s cookie among others', () => {
    expect(presentedToken({ 'x-lstm-token': 'h', cookie: `${name}=c` }, name)).toBe('h');
    expect(presentedToken({ cookie: `a=1; ${name}=c; b=2` }, name)).toBe('c');
  });

  it('ignores another port\u2019s cookie', () => {
    expect(presentedToken({ cookie: `${tokenCookieName(6007)}=c` }, name)).toBeUndefined();
  });
});

describe('tokenMatches', () => {
  it('matches only the exact token', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    for (const given of [undefined, '', 'abd', 'ab', 'abcd']) expect(tokenMatches(given, 'abc')).toBe(false);
  });
});

describe('tokenCookie', () => {
  it('is HttpOnly and SameSite=Strict for the whole site', () => {
    expect(tokenCookie('n', 't')).toBe('n=t; Path=/; HttpOnly; SameSite=Strict');
  });
});
