import { randomBytes } from 'node:crypto';

/** "2026-12-04T201500Z-ab12cd": sorts by start time, random suffix against collisions. */
export function newJobId(now: Date): string {
  const iso = now.toISOString(); // 2026-12-04T20:15:00.123Z
  const stamp = `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
