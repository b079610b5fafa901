import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { HmacSha256 } from './fast-hmac';

const reference = (key: Buffer, message: string): string =>
  createHmac('sha256', key).update(message, 'utf8').digest('hex');

describe('HmacSha256', () => {
  it('matches createHmac for any key length and any UTF-8 message', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 })),
        (keyBytes, message) => {
          const key = Buffer.from(keyBytes);
          expect(new HmacSha256(key).hex(message)).toBe(reference(key, message));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the same MAC on repeated use (the scratch buffers are reset per call)', () => {
    const key = Buffer.from('steward-key-0123456789abcdef0123456789', 'utf8');
    const mac = new HmacSha256(key);
    const long = 'x'.repeat(5000) + '@example.org';
    for (const m of [
      '+4915123456789',
      'a',
      long,
      '',
      'anna.schmidt@example.de',
      '+4915123456789',
    ]) {
      expect(mac.hex(m)).toBe(reference(key, m));
    }
  });
});
