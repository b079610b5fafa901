import Table from 'cli-table3';
import { BUCKETS, type SyncSummary } from './sync.types';

const BUCKET_LABEL: Record<(typeof BUCKETS)[number], string> = {
  imported: 'imported (upserted into the list)',
  'updated-uncallable': 'updated-uncallable (rejected, set not callable)',
  rejected: 'rejected (not sent; see rejected.ndjson)',
  skipped: 'skipped (done in an earlier run)',
  failed: 'failed (after retries; see failed.ndjson)',
};

/** The final summary as plain tables (no colours: it is often piped to a file). */
export function renderSummary(s: SyncSummary): string {
  const plain = { style: { head: [], border: [] } };
  const head = new Table({ ...plain });
  head.push(
    { job: s.jobId },
    { status: s.status },
    { 'contact list': s.contactListId },
    { policy: `${s.policy.id} ${s.policy.version} (${s.policy.digest.slice(0, 19)})` },
    { 'evaluated at': s.evaluatedAt },
    { run: String(s.run) },
  );
  const buckets = new Table({
    head: [s.dryRun ? 'bucket (dry run: would be)' : 'bucket', 'this run', 'whole job'],
    ...plain,
  });
  for (const b of BUCKETS)
    buckets.push([
      BUCKET_LABEL[b],
      String(s.buckets[b]),
      b === 'skipped' ? '' : String(s.jobBuckets[b]),
    ]);
  buckets.push(['read', String(s.read), '']);
  let out = `${head.toString()}\n${buckets.toString()}\n${s.reconciliation}${s.balanced ? '' : '  <-- NOT BALANCED'}\n`;
  const codes = Object.entries(s.rejectedByCode).sort((a, b) => b[1] - a[1]);
  if (codes.length > 0)
    out += `Rejected by code: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}\n`;
  const failed = Object.entries(s.failedByCode).sort((a, b) => b[1] - a[1]);
  if (failed.length > 0)
    out += `Failed by error: ${failed.map(([c, n]) => `${c} ${n}`).join(', ')}\n`;
  if (s.unmappedFields.length > 0)
    out += `Fields with no column in the list (not sent): ${s.unmappedFields.join(', ')}\n`;
  if (s.dryRun) {
    out += `Would set not callable if present in the list: ${s.wouldMarkUncallable ?? 0}\n`;
    out += `Sample payload (addresses masked):\n${JSON.stringify(s.samplePayload ?? null, null, 2)}\n`;
    out += 'Dry run: nothing was sent to Genesys Cloud.\n';
  }
  if (s.error)
    out += `Stopped: ${s.error.code}: ${s.error.message}\nResume with: consent-gate sync --resume ${s.jobId}\n`;
  if (s.buckets.failed > 0)
    out += `Retry file (feed it back with --input ${s.files.failed} --format ndjson): ${s.files.failed}\n`;
  out += `Files: ${s.files.dir}\n`;
  return out;
}
