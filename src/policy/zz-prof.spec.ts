import fc from 'fast-check';
import { loadPolicyDirectory } from './loader/policy-loader';
import { PolicySource } from './loader/policy-source';
import { contactArbitrary } from '../../test/support/contact-arbitrary';
it('prof', async () => {
  const { policies } = loadPolicyDirectory(new PolicySource(), '/work/main/policies');
  const at = new Date('2026-09-01T00:00:00Z');
  const sample = fc.sample(contactArbitrary(at), 5000);
  for (const p of policies) {
    let t = Date.now();
    await Promise.all(sample.map((c) => p.evaluateWithEngine(c, at)));
    const a = Date.now() - t;
    t = Date.now();
    for (const c of sample) await p.evaluateWithEngine(c, at);
    const b = Date.now() - t;
    t = Date.now();
    for (const c of sample) p.evaluate(c, at);
    console.log(p.ref.version, 'engine all', a, 'engine seq', b, 'fast', Date.now() - t);
  }
}, 300000);
