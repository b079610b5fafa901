import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger } from '../common/logging/app-logger';
import { loadAppConfig } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { GenesysHttpClient } from './genesys-http.client';
import { VirtualTiming } from './testing/virtual-timing';
import { GenesysTokenProvider } from './genesys-token.provider';
import type { GenesysTransport, TransportRequest, TransportResult } from './genesys-transport';

type Reply = TransportResult | ((req: TransportRequest) => TransportResult);

/** A transport answering the token endpoint itself and API calls from a script. */
class ScriptedTransport {
  readonly sent: TransportRequest[] = [];
  tokenCount = 0;
  tokenReply?: TransportResult;
  constructor(private readonly script: Reply[]) {}
  send(req: TransportRequest): Promise<TransportResult> {
    this.sent.push(req);
    if (req.url.endsWith('/oauth/token')) {
      this.tokenCount++;
      return Promise.resolve(
        this.tokenReply ??
          ok(200, {
            access_token: `tok-${this.tokenCount}`,
            token_type: 'bearer',
            expires_in: 3600,
          }),
      );
    }
    const next = this.script.shift() ?? ok(200, {});
    return Promise.resolve(typeof next === 'function' ? next(req) : next);
  }
  apiCalls(): TransportRequest[] {
    return this.sent.filter((r) => !r.url.endsWith('/oauth/token'));
  }
}

function ok(status: number, body: unknown, headers: Record<string, string> = {}): TransportResult {
  return {
    kind: 'response',
    status,
    headers: { 'inin-correlation-id': `corr-${status}`, ...headers },
    bodyText: JSON.stringify(body),
  };
}

function setup(script: Reply[], env: Record<string, string> = {}) {
  const config = loadAppConfig({
    GENESYS_REGION: 'mypurecloud.ie',
    GENESYS_CLIENT_ID: 'id',
    GENESYS_CLIENT_SECRET: 'very-secret',
    GENESYS_MAX_RETRIES: '3',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const transport = new ScriptedTransport(script);
  const timing = new VirtualTiming();
  const metrics = new MetricsService();
  const logger = new AppLogger(config);
  const t = transport as unknown as GenesysTransport;
  const tokens = new GenesysTokenProvider(config, t, timing, metrics, logger);
  const http = new GenesysHttpClient(config, t, tokens, timing, metrics, logger);
  return { http, transport, timing, metrics };
}

const get = { operation: 'getContactList', method: 'GET' as const, path: '/api/v2/x' };

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('GenesysHttpClient', () => {
  it('uses https://api.{region} and https://login.{region} when no override is set', async () => {
    const { http, transport } = setup([ok(200, { id: 'x' })]);
    await http.request(get);
    expect(transport.sent.map((r) => r.url)).toEqual([
      'https://login.mypurecloud.ie/oauth/token',
      'https://api.mypurecloud.ie/api/v2/x',
    ]);
    expect(transport.sent[1]?.headers.Authorization).toBe('Bearer tok-1');
  });

  it('retries 503 with backoff and succeeds', async () => {
    const { http, transport, timing, metrics } = setup([
      ok(503, {}),
      ok(502, {}),
      ok(200, { id: 'x' }),
    ]);
    const res = await http.request(get);
    expect(res.data).toEqual({ id: 'x' });
    expect(transport.apiCalls()).toHaveLength(3);
    expect(timing.slept).toEqual([250, 500]); // full jitter at random()=0.5 of 500, 1000
    const retries = await metrics.genesysRetries.get();
    expect(retries.values.map((v) => v.labels.reason).sort()).toEqual(['502', '503']);
  });

  it('gives up after GENESYS_MAX_RETRIES with GENESYS_UNAVAILABLE and the correlation id', async () => {
    const { http, transport } = setup(Array.from({ length: 10 }, () => ok(503, {})));
    const e = await failure(http.request(get));
    expect(e.code).toBe(ErrorCode.GENESYS_UNAVAILABLE);
    expect(transport.apiCalls()).toHaveLength(4);
    expect(e.details.extra).toMatchObject({ correlationId: 'corr-503', attempts: 4, status: 503 });
  });

  it('honours Retry-After and gives up when it exceeds GENESYS_MAX_RETRY_AFTER_S', async () => {
    const a = setup([ok(429, {}, { 'retry-after': '4' }), ok(200, {})]);
    await a.http.request(get);
    expect(a.timing.slept).toContain(4000);

    const b = setup([ok(429, { code: 'too.many.requests' }, { 'retry-after': '500' })]);
    const e = await failure(b.http.request(get));
    expect(e.code).toBe(ErrorCode.GENESYS_RATE_LIMITED);
    expect(b.transport.apiCalls()).toHaveLength(1);
  });

  it('never retries other 4xx and carries Genesys code and messageWithParams', async () => {
    const { http, transport } = setup([
      ok(400, {
        message: 'Contact list does not have columns [zip]',
        code: 'invalid.contact.columns',
        status: 400,
        messageWithParams: 'Contact list does not have columns {columns}',
        messageParams: { columns: 'zip' },
      }),
    ]);
    const e = await failure(http.request(get));
    expect(transport.apiCalls()).toHaveLength(1);
    expect(e.code).toBe(ErrorCode.GENESYS_UNKNOWN_COLUMNS);
    expect(e.details.extra).toMatchObject({
      genesysCode: 'invalid.contact.columns',
      messageWithParams: 'Contact list does not have columns {columns}',
      messageParams: { columns: 'zip' },
      correlationId: 'corr-400',
    });
  });

  it.each([
    [400, 'contact.datum.length.limit.exceeded', ErrorCode.GENESYS_BAD_REQUEST],
    [403, 'missing.permissions', ErrorCode.GENESYS_FORBIDDEN],
    [404, 'contact.list.not.found', ErrorCode.GENESYS_NOT_FOUND],
    [409, 'request.conflict', ErrorCode.GENESYS_CONFLICT],
    [413, 'request.entity.too.large', ErrorCode.GENESYS_PAYLOAD_TOO_LARGE],
    [500, 'internal.server.error', ErrorCode.GENESYS_UNAVAILABLE],
    [418, 'teapot', ErrorCode.GENESYS_ERROR],
  ])('maps %i %s to %s', async (status, code, expected) => {
    const { http } = setup([ok(status, { code, message: 'x' })]);
    const e = await failure(http.request(get));
    expect(e.code).toBe(expected);
    expect(e.details.extra?.genesysCode).toBe(code);
  });

  it('refreshes the token once on 401 and then reports GENESYS_AUTH_FAILED', async () => {
    const a = setup([ok(401, { code: 'bad.credentials' }), ok(200, {})]);
    await a.http.request(get);
    expect(a.transport.tokenCount).toBe(2);
    expect(a.transport.apiCalls().map((r) => r.headers.Authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);

    const b = setup([ok(401, {}), ok(401, {}), ok(200, {})]);
    const e = await failure(b.http.request(get));
    expect(e.code).toBe(ErrorCode.GENESYS_AUTH_FAILED);
    expect(b.transport.apiCalls()).toHaveLength(2);
  });

  it('maps timeouts to GENESYS_TIMEOUT and connection errors to GENESYS_UNAVAILABLE after retries', async () => {
    const timeout: TransportResult = { kind: 'failure', reason: 'timeout', code: 'ECONNABORTED' };
    const reset: TransportResult = { kind: 'failure', reason: 'network', code: 'ECONNRESET' };
    const a = setup([timeout, timeout, timeout, timeout]);
    expect((await failure(a.http.request(get))).code).toBe(ErrorCode.GENESYS_TIMEOUT);
    expect(a.transport.apiCalls()).toHaveLength(4);
    const b = setup([reset, reset, reset, reset]);
    const e = await failure(b.http.request(get));
    expect(e.code).toBe(ErrorCode.GENESYS_UNAVAILABLE);
    expect(e.details.extra?.transportError).toBe('ECONNRESET');
    const c = setup([reset, ok(200, { fine: true })]);
    expect((await c.http.request(get)).data).toEqual({ fine: true });
  });

  it('stops retrying when the next wait would pass GENESYS_MAX_RETRY_TIME_MS', async () => {
    const { http, transport } = setup(
      Array.from({ length: 10 }, () => ok(503, {}, { 'retry-after': '3' })),
      { GENESYS_MAX_RETRY_TIME_MS: '7000', GENESYS_MAX_RETRIES: '10' },
    );
    const e = await failure(http.request(get));
    expect(e.code).toBe(ErrorCode.GENESYS_UNAVAILABLE);
    expect(transport.apiCalls()).toHaveLength(3); // t=0, 3 s, 6 s; 9 s would pass 7 s
  });

  it('reports rejected credentials as GENESYS_AUTH_FAILED naming the region, not the secret', async () => {
    const { http, transport } = setup([]);
    transport.tokenReply = ok(401, {
      error: 'invalid_client',
      description: 'authentication failed',
      error_description: 'authentication failed',
    });
    const e = await failure(http.request(get));
    expect(e.code).toBe(ErrorCode.GENESYS_AUTH_FAILED);
    expect(e.message).toContain('mypurecloud.ie');
    expect(e.message).toContain('invalid_client');
    expect(JSON.stringify({ m: e.message, s: e.stack, d: e.details })).not.toContain('very-secret');
    expect(transport.tokenCount).toBe(1);
    expect(transport.apiCalls()).toHaveLength(0);
  });

  it('fails with GENESYS_NOT_CONFIGURED naming the missing variables', async () => {
    const { http, transport } = setup([], { GENESYS_CLIENT_SECRET: '' });
    expect(http.isConfigured()).toBe(false);
    const e = await failure(http.request(get));
    expect(e.code).toBe(ErrorCode.GENESYS_NOT_CONFIGURED);
    expect(e.message).toContain('GENESYS_CLIENT_SECRET');
    expect(transport.sent).toHaveLength(0);
  });
});
