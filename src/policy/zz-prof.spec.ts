import fc from 'fast-check';
import { loadPolicyDirectory } from '../policy/loader/policy-loader';
import { PolicySource } from '../policy/loader/policy-source';
import { contactArbitrary } from '../../test/support/contact-arbitrary';
it('prof', async () => {
  const { policies } = loadPolicyDirectory(new PolicySource(), '/work/main/policies');
  const at = new Date('2026-09-01T00:00:00Z');
  let t = Date.now();
  const sample = fc.sample(contactArbitrary(at), 20000);
  console.log('gen fixed anchor', Date.now() - t);
  t = Date.now();
  fc.sample(fc.integer().chain(() => contactArbitrary(at)), 2000);
  console.log('gen chain 2000', Date.now() - t);
  for (const p of policies) {
    t = Date.now();
    await Promise.all(sample.map((c) => p.evaluateWithEngine(c, at)));
    console.log(p.ref.version, 'engine 20k', Date.now() - t);
    t = Date.now();
    for (const c of sample) p.evaluate(c, at);
    console.log(p.ref.version, 'fast 20k', Date.now() - t);
  }
}, 300000);
