import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../src/common/http/openapi';
import { createTestApp, REPO_ROOT, type TestApp } from './support/test-app';

describe('docs/openapi.json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('matches the document the service serves (regenerate with `npm run openapi`)', () => {
    const served = JSON.parse(JSON.stringify(buildOpenApiDocument(t.app))) as unknown;
    const checkedIn = JSON.parse(
      readFileSync(join(REPO_ROOT, 'docs', 'openapi.json'), 'utf8'),
    ) as unknown;
    expect(checkedIn).toEqual(served);
  });
});
