import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { listChainFiles, parseLogFileName, type ChainFile } from './chain-files';
import { verifyStream, type StreamReport } from './chain-verify';

export interface VerifyReport {
  ok: boolean;
  path: string;
  lines: number;
  files: number;
  streams: StreamReport[];
  /** Set when there was nothing to verify (missing directory, no log files). */
  error?: string;
}

/**
 * Read-only verification of audit chains: a directory (every stream in it:
 * decisions, rejections, comparisons) or one file. Opens nothing for writing
 * and repairs nothing.
 */
@Injectable()
export class AuditVerifier {
  constructor(private readonly config: AppConfig) {}

  async verify(path: string): Promise<VerifyReport> {
    const report: VerifyReport = { ok: false, path, lines: 0, files: 0, streams: [] };
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      report.error = `${path} does not exist`;
      return report;
    }
    let dir = path;
    let groups: Map<string, ChainFile[]>;
    if (isDir) {
      groups = await listChainFiles(dir);
    } else {
      const f = parseLogFileName(basename(path));
      if (!f) {
        report.error = `${basename(path)} is not an audit log file name (<stream>-<YYYY-MM-DD>-<NNNNNN>.jsonl)`;
        return report;
      }
      dir = dirname(path);
      groups = new Map([[f.stream, [f]]]);
    }
    if (groups.size === 0) {
      report.error = `no audit log files in ${path}`;
      return report;
    }
    for (const [stream, files] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const s = await verifyStream(dir, stream, files, this.config.audit.checkpointKey);
      report.streams.push(s);
      report.lines += s.lines;
      report.files += s.files;
    }
    report.ok = report.streams.every((s) => s.failure === undefined);
    return report;
  }
}
