import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/** Lowercase hex SHA-256 of an API key, the form API_KEY_HASHES holds. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random API key: 32 random bytes, base64url (43 characters), and its hash. */
export function generateApiKey(): { key: string; hash: string } {
  const key = randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key) };
}

/** Short, non-secret identifier of a key for logs and rate-limit buckets. */
export function keyIdOf(hash: string): string {
  return `key_${hash.slice(0, 12)}`;
}

/** True for host names / bind addresses that are only reachable from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  return isLoopbackAddress(h);
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase();
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(a) === 6 && (a === '::1' || a === '0:0:0:0:0:0:0:1');
}
