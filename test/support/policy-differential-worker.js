// Worker for the differential test: evaluates batches with the compiled dist/
// build (the code the service runs) through both paths and reports the first
// disagreement. Runs outside jest's module sandbox, where json-rules-engine's
// promise-heavy runs are about 3x faster, and on a second core.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { join } = require('node:path');

const dist = join(workerData.repoRoot, 'dist', 'policy');
const { loadPolicyDirectory, formatLoadError } = require(join(dist, 'loader', 'policy-loader.js'));
const { PolicySource } = require(join(dist, 'loader', 'policy-source.js'));
const { diffDecisions } = require(join(dist, 'policy-test-runner.js'));

const { policies, errors } = loadPolicyDirectory(new PolicySource(), workerData.policiesDir);
if (errors.length > 0) throw new Error(errors.map(formatLoadError).join('\n'));
const byVersion = new Map(policies.map((p) => [`${p.ref.id}@${p.ref.version}`, p]));

parentPort.on('message', async ({ id, key, items }) => {
  try {
    const policy = byVersion.get(key);
    if (!policy) throw new Error(`${key} is not in the dist build's policy set`);
    const engine = await Promise.all(
      items.map(([at, c]) => policy.evaluateWithEngine(c, new Date(at))),
    );
    let failure = null;
    for (let i = 0; i < items.length && failure === null; i++) {
      const [at, c] = items[i];
      const diff = diffDecisions(policy.evaluate(c, new Date(at)), engine[i]);
      if (diff.length > 0) failure = { at: new Date(at).toISOString(), contact: c, diff };
    }
    parentPort.postMessage({ id, checked: items.length, failure });
  } catch (e) {
    parentPort.postMessage({ id, checked: 0, error: e instanceof Error ? e.stack : String(e) });
  }
});
