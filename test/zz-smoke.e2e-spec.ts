import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/bootstrap';
import { PolicyRegistry } from '../src/policy/policy-registry';
import { FakePolicyRegistry } from './support/fake-policy-registry';

@Global()
@Module({ providers: [{ provide: PolicyRegistry, useValue: new FakePolicyRegistry() }], exports: [PolicyRegistry] })
class FakePolicyModule {}

it('smoke', async () => {
  const m = await Test.createTestingModule({ imports: [AppModule.forRoot({ POLICIES_DIR: '/tmp/cg/p', AUDIT_DIR: '/tmp/cg/audit', LOG_LEVEL: 'info', POLICY_WATCH: 'false' }), FakePolicyModule] }).compile();
  const app = m.createNestApplication({ bodyParser: false });
  configureApp(app);
  await app.init();
  const s = app.getHttpServer();
  for (const [method, path, body] of [
    ['get', '/v1/policies'], ['get', '/v1/policies/gdpr-consent/versions/1.0.0?format=yaml'], ['get', '/nope'],
    ['post', '/v1/validate', { contacts: [{ id: 1, consent: true }, 5, { __proto__: 1 }] }],
    ['post', '/v1/validate', { contacts: 5, extra: 1 }],
    ['post', '/v1/validate', '{"contacts": [' ],
    ['get', '/healthz'], ['get', '/metrics'], ['get', '/docs-json'],
  ] as const) {
    const r = await (request(s) as any)[method](path).set('content-type', 'application/json').send(body as any);
    console.log(method, path, r.status, r.headers['content-type'], JSON.stringify(r.body ?? r.text).slice(0, 400), r.text?.slice(0, 200));
  }
  const r = await request(s).post('/v1/validate/stream?evaluatedAt=2026-01-01T00:00:00Z').set('content-type', 'application/x-ndjson').send('{"id":1,"consent":true}\nbad\n{"id":"x"}\n');
  console.log(r.status, r.headers['content-type'], r.text);
  await app.close();
});
