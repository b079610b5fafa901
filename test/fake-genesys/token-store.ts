import { randomBytes } from 'node:crypto';

export type TokenState = 'valid' | 'expired' | 'unknown';

/** Bearer tokens issued by the fake login host, each with its expiry. */
export class TokenStore {
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  issue(clientId: string, ttlSeconds: number): string {
    // Opaque and unguessable like real tokens, so a client cannot fake one.
    const token = randomBytes(48).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: this.now() + ttlSeconds * 1000 });
    return token;
  }

  check(token: string): TokenState {
    const entry = this.tokens.get(token);
    if (!entry) return 'unknown';
    return this.now() >= entry.expiresAt ? 'expired' : 'valid';
  }

  expireAll(): void {
    const t = this.now();
    for (const entry of this.tokens.values()) entry.expiresAt = Math.min(entry.expiresAt, t);
  }

  /** Tokens still valid now (tests use it to tell a refresh from a reuse). */
  validTokens(): string[] {
    return [...this.tokens.keys()].filter((token) => this.check(token) === 'valid');
  }
}
