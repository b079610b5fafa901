import { redactValue, scrubText } from './redact';

describe('scrubText', () => {
  it('removes phone numbers, emails and bearer tokens but keeps dates and IPv4 addresses', () => {
    const out = scrubText(
      'call +44 20 7946 0958 or 015112345678, mail jane.doe@example.org, Authorization: Bearer abc.def-ghi at 2026-03-01T09:00:00Z from 127.0.0.1',
    );
    expect(out).not.toMatch(/7946|15112345678|jane\.doe|abc\.def/);
    expect(out).toContain('2026-03-01T09:00:00Z');
    expect(out).toContain('127.0.0.1');
  });
  it('redacts sensitive keys in structured values', () => {
    expect(
      redactValue({ phone_number: '+4915112345678', nested: { email: 'a@b.co' }, ok: 1 }),
    ).toEqual({
      phone_number: '[REDACTED]',
      nested: { email: '[REDACTED]' },
      ok: 1,
    });
  });
});
