import { generateApiKey, hashApiKey, isLoopbackAddress, isLoopbackHost, keyIdOf } from './api-key';

describe('api keys', () => {
  it('generates distinct 32-byte base64url keys whose hash is their SHA-256', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(Buffer.from(a.key, 'base64url')).toHaveLength(32);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(keyIdOf(a.hash)).toBe(`key_${a.hash.slice(0, 12)}`);
  });

  it('recognises loopback bind hosts only', () => {
    for (const h of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
      'api.localhost',
    ]) {
      expect(isLoopbackHost(h)).toBe(true);
    }
    for (const h of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      'example.org',
      '128.0.0.1',
      'localhost.example.org',
    ]) {
      expect(isLoopbackHost(h)).toBe(false);
    }
  });

  it('recognises loopback peer addresses, including IPv4-mapped ones', () => {
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});
