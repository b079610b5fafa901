import { join } from 'node:path';
import { checkLine, GENESIS_HASH, type ChainedRecord } from './chain-format';
import { checkpointFileName, type ChainFile } from './chain-files';
import { checkpointMacValid, parseCheckpoint } from './checkpoints';
import { readLines } from './line-reader';

export type FailureKind =
  'altered' | 'deleted' | 'inserted' | 'reordered' | 'torn' | 'truncated' | 'checkpoint';

export interface VerifyFailure {
  stream: string;
  /** File name (no directory) and 1-based line number of the first bad line. */
  file: string;
  line: number;
  kind: FailureKind;
  message: string;
}

export interface StreamReport {
  stream: string;
  files: number;
  lines: number;
  firstSeq?: number;
  lastSeq?: number;
  /** True when the oldest remaining line is seq 1 with the genesis prevHash (nothing deleted by retention). */
  fromGenesis: boolean;
  /** prevHash of the oldest remaining line: the anchor the chain was verified from. */
  anchor?: string;
  checkpoints: number;
  /** false when checkpoints exist but no AUDIT_CHECKPOINT_KEY was given to check their signatures. */
  checkpointsSigned: boolean;
  warnings: string[];
  failure?: VerifyFailure;
}

interface Loc {
  file: string;
  line: number;
}

interface CheckpointRef extends Loc {
  hash: string;
}

/**
 * Recomputes one stream's chain over its files in order and returns the first
 * problem, classified: a line whose bytes no longer match its hash (altered),
 * a gap in seq (deleted), a line the chain skips over or a duplicate
 * (inserted), two lines out of order (reordered), an unfinished last line
 * (torn), lines missing after the last signed checkpoint (truncated), or a
 * checkpoint that does not match or whose signature is wrong (checkpoint).
 */
export async function verifyStream(
  dir: string,
  stream: string,
  files: readonly ChainFile[],
  checkpointKey: string | undefined,
): Promise<StreamReport> {
  const report: StreamReport = {
    stream,
    files: files.length,
    lines: 0,
    fromGenesis: false,
    checkpoints: 0,
    checkpointsSigned: true,
    warnings: [],
    failure: undefined,
  };
  const fail = (loc: Loc, kind: FailureKind, message: string): StreamReport => {
    report.failure = { stream, file: loc.file, line: loc.line, kind, message };
    return report;
  };

  const { checkpoints, failure: cpFailure } = await loadCheckpoints(
    dir,
    stream,
    files,
    checkpointKey,
    report,
  );

  let prevHash: string | undefined;
  let prevPrevHash: string | undefined;
  let expected = 0;
  let prevLoc: Loc | undefined;
  // A seq jump is only classified on the next line: a swap shows the missing seq right after.
  let jump: { loc: Loc; expected: number; found: number } | undefined;
  let last: Loc | undefined;

  for (let fi = 0; fi < files.length; fi++) {
    const file = (files[fi] as ChainFile).name;
    for await (const l of readLines(join(dir, file))) {
      const loc = { file, line: l.number };
      last = loc;
      const check = l.terminated && l.text.length > 0 ? checkLine(l.text) : undefined;
      const rec: ChainedRecord | undefined = check?.ok ? check.record : undefined;
      if (jump) {
        if (rec && rec.seq === jump.expected) {
          return fail(
            jump.loc,
            'reordered',
            `out of order: seq ${jump.found} comes before seq ${jump.expected} (lines swapped or moved)`,
          );
        }
        return fail(jump.loc, 'deleted', missingText(jump.expected, jump.found));
      }
      if (!l.terminated) {
        return fi === files.length - 1
          ? fail(
              loc,
              'torn',
              'last line is incomplete (no trailing newline): an interrupted write; the writer repairs it on its next start',
            )
          : fail(loc, 'altered', 'line has no trailing newline in the middle of the chain');
      }
      if (l.text.length === 0) return fail(loc, 'inserted', 'empty line');
      if (!check || !check.ok || !rec)
        return fail(loc, 'altered', check && !check.ok ? check.reason : 'unreadable line');

      if (prevHash === undefined) {
        if (rec.seq === 1 && rec.prevHash !== GENESIS_HASH) {
          return fail(loc, 'altered', 'seq 1 must chain to the genesis hash');
        }
        report.anchor = rec.prevHash;
        report.firstSeq = rec.seq;
        report.fromGenesis = rec.seq === 1;
      } else if (rec.seq !== expected || rec.prevHash !== prevHash) {
        if (rec.hash === prevHash) return fail(loc, 'inserted', 'duplicate of the previous line');
        if (
          rec.prevHash === prevPrevHash &&
          prevLoc &&
          (rec.seq === expected || rec.seq === expected - 1)
        ) {
          return fail(
            prevLoc,
            'inserted',
            'inserted line: the chain continues from the line before it',
          );
        }
        if (rec.seq === expected && prevLoc) {
          return fail(
            prevLoc,
            'altered',
            "altered and re-hashed: the next line's prevHash does not match this line's hash",
          );
        }
        if (rec.seq > expected) {
          jump = { loc, expected, found: rec.seq };
          continue;
        }
        return fail(
          loc,
          'inserted',
          `out-of-place line: seq ${rec.seq} where seq ${expected} was expected`,
        );
      }
      const cp = checkpoints.get(rec.seq);
      if (cp && cp.hash !== rec.hash) {
        return fail(
          loc,
          'checkpoint',
          `does not match the signed checkpoint for seq ${rec.seq} (${cp.file}:${cp.line})`,
        );
      }
      prevPrevHash = prevHash;
      prevHash = rec.hash;
      expected = rec.seq + 1;
      prevLoc = loc;
      report.lines++;
      report.lastSeq = rec.seq;
    }
  }
  if (jump) return fail(jump.loc, 'deleted', missingText(jump.expected, jump.found));
  if (cpFailure) return fail(cpFailure, 'checkpoint', cpFailure.message);
  const lastSeq = report.lastSeq ?? 0;
  for (const [seq, cp] of checkpoints) {
    if (seq > lastSeq) {
      return fail(
        last ?? cp,
        'truncated',
        `the log ends at seq ${lastSeq} but ${cp.file}:${cp.line} holds a signed checkpoint for seq ${seq}: lines were cut off the end`,
      );
    }
  }
  return report;
}

function missingText(expected: number, found: number): string {
  const n = found - expected;
  return `${n} line${n === 1 ? '' : 's'} missing before this line (seq ${expected}${n > 1 ? `..${found - 1}` : ''})`;
}

async function loadCheckpoints(
  dir: string,
  stream: string,
  files: readonly ChainFile[],
  key: string | undefined,
  report: StreamReport,
): Promise<{ checkpoints: Map<number, CheckpointRef>; failure?: Loc & { message: string } }> {
  const checkpoints = new Map<number, CheckpointRef>();
  let failure: (Loc & { message: string }) | undefined;
  for (const f of files) {
    const name = checkpointFileName(f.name);
    let lines: AsyncGenerator<{ number: number; text: string; terminated: boolean }>;
    try {
      lines = readLines(join(dir, name));
      for await (const l of lines) {
        if (!l.terminated) {
          report.warnings.push(
            `${name}:${l.number}: incomplete checkpoint ignored (interrupted write)`,
          );
          continue;
        }
        const cp = parseCheckpoint(l.text);
        const loc = { file: name, line: l.number };
        if (!cp || cp.stream !== stream) {
          failure ??= { ...loc, message: 'malformed checkpoint' };
          continue;
        }
        if (key !== undefined && !checkpointMacValid(key, cp)) {
          failure ??= {
            ...loc,
            message: 'checkpoint signature is invalid (forged, or signed with another key)',
          };
          continue;
        }
        checkpoints.set(cp.seq, { ...loc, hash: cp.hash });
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  report.checkpoints = checkpoints.size;
  if (checkpoints.size > 0 && key === undefined) {
    report.checkpointsSigned = false;
    report.warnings.push('checkpoint signatures not checked: AUDIT_CHECKPOINT_KEY is not set');
  }
  return { checkpoints, failure };
}
