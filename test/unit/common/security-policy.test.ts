import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAllowedExternalUrl, withCspHeader } from '../../../common/security-policy';

describe('CONTENT_SECURITY_POLICY', () => {
  it('is identical to the <meta> policy in renderer/index.html', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('withCspHeader()', () => {
  it('replaces any CSP header, whatever its case, and keeps the others', () => {
    const headers = withCspHeader({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('isAllowedExternalUrl()', () => {
  it('allows https pages under an allowed prefix', () => {
    expect(isAllowedExternalUrl('https://github.com/tensorflow/tfjs')).toBe(true);
    expect(isAllowedExternalUrl('https://yann.lecun.com/exdb/mnist/index.html')).toBe(true);
  });

  it.each([
    'http://github.com/tensorflow/tfjs',
    'https://github.com.evil.example/',
    'https://user:pw@github.com/',
    'https://yann.lecun.com/other',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});
