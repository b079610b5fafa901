// Writes the OpenAPI document the service serves at /docs-json to docs/openapi.json,
// formatted with the repository's Prettier settings. Run after `npm run build`
// (`npm run openapi`); test/api-openapi.e2e-spec.ts fails when the file is stale.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as prettier from 'prettier';

const require = createRequire(import.meta.url);
const { NestFactory } = require('@nestjs/core');
const { AppModule } = require('../dist/app.module.js');
const { configureApp } = require('../dist/bootstrap.js');
const { buildOpenApiDocument } = require('../dist/common/http/openapi.js');

const app = await NestFactory.create(
  AppModule.forRoot({ HOST: '127.0.0.1', POLICY_WATCH: 'false', LOG_LEVEL: 'error' }),
  { logger: false, bodyParser: false },
);
configureApp(app);
const doc = buildOpenApiDocument(app);
await app.close();
const target = resolve('docs/openapi.json');
const options = (await prettier.resolveConfig(target)) ?? {};
const text = await prettier.format(JSON.stringify(doc), { ...options, filepath: target });
mkdirSync('docs', { recursive: true });
writeFileSync(target, text);
console.log(`wrote ${target}`);
