import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl, RedisUrlSchema, scrubSecret, withRedisPassword } from '../../../common/redis-url';
import { describeIssue } from '../../../main/store/store-schema';

describe('parseRedisUrl', () => {
  it('takes apart every form Redis URLs take: host, port, database, password, ACL user, TLS', () => {
    expect(parseRedisUrl('redis://lab-pc')).toMatchObject({
      ok: true,
      target: { host: 'lab-pc', port: 6379, db: 0, password: null, isTls: false },
    });
    expect(parseRedisUrl(' redis://10.0.0.5:6380/3 ')).toMatchObject({ ok: true, target: { host: '10.0.0.5', port: 6380, db: 3 } });
    expect(parseRedisUrl('redis://:s%40cret@host:6379/0')).toMatchObject({ ok: true, target: { username: null, password: 's@cret' } });
    expect(parseRedisUrl('rediss://studio:pw@redis.example.com:6390/1')).toMatchObject({
      ok: true,
      target: { isTls: true, username: 'studio', password: 'pw', host: 'redis.example.com', port: 6390, db: 1 },
    });
    expect(parseRedisUrl('redis://[::1]:6379')).toMatchObject({ ok: true, target: { host: '::1' } });
  });

  it('refuses what is not a usable Redis URL, in words that never repeat it', () => {
    const cases: [string, RegExp][] = [
      ['', /Enter the Redis URL/],
      ['http://:pw-123@host:6379', /starts with redis:\/\//],
      ['redis://:pw-123@host:0/0', /port must be a number from 1 to 65535/],
      ['redis://:pw-123@host:6379/abc', /database number/],
      ['redis://:pw-123@host:6379/0?tls=true', /takes no \?options/],
      ['redis://:pw-123@/0', /names no host|Not a URL/],
      [`redis://host/${'1'.repeat(2_100)}`, /at most 2000 characters/],
    ];
    for (const [text, message] of cases) {
      const check = parseRedisUrl(text);
      expect(check.ok, text).toBe(false);
      if (!check.ok) {
        expect(check.message).toMatch(message);
        expect(check.message).not.toContain('pw-123');
      }
    }
  });
});

describe('withRedisPassword', () => {
  it('puts a password into a URL, %-escaped so that it parses back as it was', () => {
    for (const password of ['secret', 'a@b:c/d', '%41%', 'päss wörd', "!*'()~"]) {
      const made = withRedisPassword('redis://lab:6380/3', password);
      const back = made.ok ? parseRedisUrl(made.url) : null;
      expect(back?.ok && [back.target.password, back.target.host, back.target.port, back.target.db]).toEqual([password, 'lab', 6380, 3]);
    }
    expect(withRedisPassword(' redis://lab ', '')).toEqual({ ok: true, url: 'redis://lab' });
  });

  it('refuses a URL that does not parse, or that holds a password already', () => {
    expect(withRedisPassword('lab', 'x').ok).toBe(false);
    const twice = withRedisPassword('redis://:first@lab', 'second');
    expect(twice.ok).toBe(false);
    expect(JSON.stringify(twice)).not.toMatch(/first|second/);
  });
});

describe('redactRedisUrl', () => {
  it('shows the URL with its password as ***, the user name kept, in a normal form', () => {
    expect(redactRedisUrl('redis://:hunter2@host:6379/0')).toBe('redis://:***@host:6379/0');
    expect(redactRedisUrl('rediss://studio:hunter2@host')).toBe('rediss://studio:***@host:6379/0');
    expect(redactRedisUrl('redis://host:6380/2')).toBe('redis://host:6380/2');
  });

  it('hides the password of a URL that does not even parse', () => {
    expect(redactRedisUrl('redis://:hunter2@host:99999/0')).not.toContain('hunter2');
    expect(redactRedisUrl('redis://user:hunter2@')).not.toContain('hunter2');
  });
});

describe('RedisUrlSchema', () => {
  it('reports a refusal with the redacted URL as its input, so "got …" cannot leak the password', () => {
    const parsed = RedisUrlSchema.safeParse('redis://:hunter2@host:0/0', { reportInput: true });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeIssue(parsed.error.issues[0])).not.toContain('hunter2');
  });
});

describe('scrubSecret', () => {
  it('replaces every occurrence of the secret', () => {
    expect(scrubSecret('AUTH hunter2 failed; hunter2', 'hunter2')).toBe('AUTH *** failed; ***');
    expect(scrubSecret('nothing secret', null)).toBe('nothing secret');
  });
});
