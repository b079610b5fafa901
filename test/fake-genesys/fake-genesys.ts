/**
 * A faithful local fake of Genesys Cloud (login host + API host) for tests
 * and for trying a sync by hand. It enforces the facts in
 * ../shared/docs/genesys-cloud-api.md and records every request it receives.
 * See README.md next to this file.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleApiRequest, INSPECT_PREFIX, inspect, type ReceivedRequest } from './api-host';
import { ContactStore } from './contact-store';
import { DncStore } from './dnc-store';
import { FaultQueue } from './fault-queue';
import { faultResponse, withRate } from './api-responses';
import {
  close,
  describeBody,
  flattenHeaders,
  listen,
  parseQuery,
  readBody,
  writeResponse,
  type FakeResponse,
} from './http-io';
import { handleLogin } from './login-handler';
import { FixedWindowRateLimiter } from './rate-limiter';
import { TokenStore } from './token-store';
import type {
  ContactListInput,
  Fault,
  FaultMatch,
  FakeContact,
  FakeGenesysOptions,
  RecordedRequest,
  SeedContact,
  ServerKind,
} from './fake-genesys.types';

export * from './fake-genesys.types';
export { LIMITS } from './contact-validation';

export { UNLIMITED_ALLOWED } from './api-responses';

export const DEFAULT_CLIENT = { id: 'test-client', secret: 'test-secret' } as const;

export class FakeGenesys {
  /** Everything received on both hosts, in order; `status` is filled in when answered. */
  readonly requests: RecordedRequest[] = [];

  private readonly now: () => number;
  private readonly store: ContactStore;
  private readonly dnc: DncStore;
  private readonly tokens: TokenStore;
  private readonly apiLimiter: FixedWindowRateLimiter;
  private readonly tokenLimiter: FixedWindowRateLimiter;
  private readonly faults = new FaultQueue();
  private readonly clients: Map<string, string>;
  private readonly tokenTtlSeconds: number;
  private readonly apiServer: Server;
  private readonly loginServer: Server;
  private readonly sleepers = new Set<() => void>();
  private readonly onResponse: ((request: RecordedRequest) => void) | undefined;
  private readonly recordBodies: boolean;
  private urls = { api: '', login: '' };
  private seq = 0;
  private stopped = false;

  private constructor(options: FakeGenesysOptions) {
    this.now = options.now ?? (() => Date.now());
    this.store = new ContactStore(this.now);
    this.dnc = new DncStore(this.now);
    this.tokens = new TokenStore(this.now);
    this.clients = new Map((options.clients ?? [DEFAULT_CLIENT]).map((c) => [c.id, c.secret]));
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 86_400;
    this.onResponse = options.onResponse;
    this.recordBodies = options.recordBodies ?? true;
    this.apiLimiter = new FixedWindowRateLimiter(undefined, 60_000, this.now);
    this.apiLimiter.configure(options.rateLimitPerMinute, options.rateLimitWindowMs ?? 60_000);
    this.tokenLimiter = new FixedWindowRateLimiter(
      options.tokenRateLimitPerMinute ?? 300,
      60_000,
      this.now,
    );
    this.apiServer = createServer((req, res) => this.dispatch('api', req, res));
    this.loginServer = createServer((req, res) => this.dispatch('login', req, res));
  }

  static async start(options: FakeGenesysOptions = {}): Promise<FakeGenesys> {
    const fake = new FakeGenesys(options);
    const host = options.host ?? '127.0.0.1';
    try {
      fake.urls = {
        api: await listen(fake.apiServer, host, options.apiPort ?? 0),
        login: await listen(fake.loginServer, host, options.loginPort ?? 0),
      };
    } catch (error) {
      await fake.stop();
      throw error;
    }
    return fake;
  }

  /** e.g. http://127.0.0.1:40123 — use as GENESYS_API_BASE_URL. */
  get apiBaseUrl(): string {
    return this.urls.api;
  }

  /** e.g. http://127.0.0.1:40124 — use as GENESYS_LOGIN_BASE_URL. */
  get loginBaseUrl(): string {
    return this.urls.login;
  }

  // ---- data set-up and inspection -----------------------------------------

  createContactList(list: ContactListInput): { id: string } {
    return this.store.createList(list);
  }

  /** Contacts stored in the list now (copies). Throws for an unknown list. */
  contacts(listId: string): FakeContact[] {
    return this.store.contacts(listId);
  }

  /** Puts contacts in the list as if they were already there (e.g. already marked uncallable). */
  seedContacts(listId: string, contacts: SeedContact[]): void {
    this.store.seed(listId, contacts);
  }

  createDncList(opts?: { id?: string; name?: string }): { id: string } {
    return this.dnc.create(opts);
  }

  /** Entries in insertion order; `expirations` maps an entry to its expirationDateTime, if given. */
  dncEntries(dncListId: string): {
    phoneNumbers: string[];
    emailAddresses: string[];
    expirations: Record<string, string>;
  } {
    return this.dnc.entries(dncListId);
  }

  // ---- behaviour control ----------------------------------------------------

  /** The next matching requests get these faults, one each, in order. */
  injectFaults(match: FaultMatch, faults: Fault[]): void {
    this.faults.add(match, faults);
  }

  pendingFaults(): number {
    return this.faults.pending();
  }

  /** `perMinute` requests per window per token (0/undefined = unlimited); optional window length. */
  setRateLimit(perMinute: number | undefined, windowMs?: number): void {
    this.apiLimiter.configure(perMinute, windowMs);
  }

  /** Every bearer token issued so far now answers 401. */
  expireAllTokens(): void {
    this.tokens.expireAll();
  }

  /** Bearer tokens that are still valid. */
  validTokens(): string[] {
    return this.tokens.validTokens();
  }

  /** Number of POST /oauth/token received since start or the last reset(). */
  tokenRequests(): number {
    return this.requests.filter(
      (r) => r.server === 'login' && r.method === 'POST' && r.path === '/oauth/token',
    ).length;
  }

  /** API requests recorded so far, optionally only those whose path includes `pathIncludes`. */
  apiRequests(pathIncludes?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.server === 'api' && (pathIncludes === undefined || r.path.includes(pathIncludes)),
    );
  }

  /** Forgets recorded requests, pending faults and rate windows; keeps lists, contacts and tokens. */
  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
    this.apiLimiter.clear();
    this.tokenLimiter.clear();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    await Promise.all([close(this.apiServer), close(this.loginServer)]);
  }

  // ---- request handling -----------------------------------------------------

  private dispatch(kind: ServerKind, req: IncomingMessage, res: ServerResponse): void {
    this.handle(kind, req, res).catch(() => {
      // A bug in the fake must not hang the client: answer 500 and keep serving.
      writeResponse(res, { status: 500, body: { message: 'fake genesys internal error' } });
    });
  }

  private async handle(kind: ServerKind, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.now();
    const { raw, bytes } = await readBody(req);
    const target = req.url ?? '/';
    if (kind === 'api' && target.startsWith(INSPECT_PREFIX)) {
      writeResponse(res, inspect(req.method ?? 'GET', target, this.store, this.dnc));
      return;
    }
    const queryAt = target.indexOf('?');
    const headers = flattenHeaders(req.headers);
    const rawBody = raw.toString('utf8');
    const record: RecordedRequest = {
      seq: ++this.seq,
      at,
      server: kind,
      method: req.method ?? 'GET',
      path: queryAt < 0 ? target : target.slice(0, queryAt),
      query: parseQuery(new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1))),
      headers,
      body: undefined,
      rawBody: this.recordBodies ? rawBody : '',
      bodyBytes: bytes,
      status: 0,
    };
    if (this.recordBodies) lazyBody(record, headers, rawBody);
    this.requests.push(record);

    const received: ReceivedRequest = {
      method: record.method,
      path: record.path,
      query: record.query,
      headers,
      rawBody,
      bodyBytes: bytes,
    };
    const fault = this.faults.take(kind, record.method, target);
    const after = fault !== undefined && fault.kind !== 'status' && fault.phase === 'after';
    if (fault?.kind === 'drop' && !after) {
      this.drop(req, record);
      return;
    }
    if (fault?.kind === 'delay' && !after) {
      await this.sleep(fault.ms);
      if (this.stopped) return;
    }
    const correlationId = randomUUID();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    let response: FakeResponse;
    if (fault?.kind === 'status') {
      response = faultResponse(fault, correlationId);
      if (kind === 'api') response = withRate(response, this.apiLimiter.peek(bearer ?? ''));
    } else if (kind === 'login') {
      response = handleLogin(received, {
        clients: this.clients,
        tokens: this.tokens,
        tokenLimiter: this.tokenLimiter,
        tokenTtlSeconds: this.tokenTtlSeconds,
      });
    } else {
      response = handleApiRequest(received, bearer, correlationId, {
        tokens: this.tokens,
        limiter: this.apiLimiter,
        stores: { contacts: this.store, dnc: this.dnc },
      });
    }
    response.headers = { ...response.headers, 'ININ-Correlation-Id': correlationId };
    if (fault?.kind === 'drop') {
      this.drop(req, record);
      return;
    }
    if (fault?.kind === 'delay' && after) {
      await this.sleep(fault.ms);
      if (this.stopped) return;
    }
    // The status the fake answered with, even if the client gave up waiting meanwhile.
    record.status = response.status;
    writeResponse(res, response);
    this.onResponse?.(record);
  }

  private drop(req: IncomingMessage, record: RecordedRequest): void {
    req.socket.destroy();
    this.onResponse?.(record);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

/**
 * Parses the recorded body on first read: a long sync sends hundreds of
 * half-megabyte bodies and most tests never look at them.
 */
function lazyBody(record: RecordedRequest, headers: Record<string, string>, raw: string): void {
  let parsed: { value: unknown } | undefined;
  Object.defineProperty(record, 'body', {
    enumerable: true,
    configurable: true,
    get: () => (parsed ??= { value: describeBody(headers, raw) }).value,
    set: (value: unknown) => {
      parsed = { value };
    },
  });
}
