/**
 * Strict date and time parsing for the policy language.
 *
 * JavaScript's Date.parse accepts offset-less values (read as local time),
 * date-only values, whitespace and impossible dates such as 2025-02-29 (rolled
 * over to March 1st). A consent timestamp that cannot be pinned to one instant
 * cannot prove anything, so these parsers accept exactly RFC 3339 `date-time`
 * (section 5.6) with an explicit offset and reject everything else. Epoch
 * values are computed arithmetically, never via Date.parse or Date.UTC (which
 * maps years 0-99 to 1900-1999).
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

// RFC 3339 5.6: full-date "T" full-time, time-offset "Z" / ("+" / "-") hh:mm, scanned by
// scanRfc3339. T and Z may be lower case (RFC 3339 5.6, NOTE). No whitespace anywhere.

/** An instant parsed from an RFC 3339 date-time. */
export interface ParsedInstant {
  /** Milliseconds since the Unix epoch, sub-millisecond digits truncated (floor). */
  epochMs: number;
  /** True when fractional digits beyond the millisecond were non-zero (the instant lies strictly after epochMs). */
  subMillisecond: boolean;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

/** True for a real proleptic-Gregorian calendar date (month 1-12, day within the month). */
export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), exact for every year 0000-9999.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Parses an RFC 3339 date-time with explicit offset. Returns undefined for any
 * other input: non-strings, surrounding whitespace, date-only or offset-less
 * values, impossible dates, hour 24, minute/second 60 (leap seconds are not
 * accepted: the instant cannot be represented unambiguously), offsets beyond
 * 23:59.
 */
export function parseRfc3339Instant(value: unknown): ParsedInstant | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = scanRfc3339(value);
  if (Number.isNaN(ms)) return undefined;
  return { epochMs: ms, subMillisecond: scannedSubMs };
}

// Set by scanRfc3339 for the value it last accepted (a side channel keeps the hot path allocation-free).
let scannedSubMs = false;

/** Two ASCII digits at i as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The RFC 3339 date-time grammar, scanned by character code: validation
 * runs on every contact (often several timestamps each), so no regex,
 * substring or object is created. Returns epoch ms or NaN.
 */
function scanRfc3339(s: string): number {
  const n = s.length;
  // Shortest form: YYYY-MM-DDTHH:MM:SSZ (20 characters).
  if (n < 20) return NaN;
  const y1 = digits2(s, 0);
  const y2 = digits2(s, 2);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  const t = s.charCodeAt(10);
  if (
    y1 < 0 ||
    y2 < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    (t !== 84 && t !== 116) || // T t
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58
  ) {
    return NaN;
  }
  const year = y1 * 100 + y2;
  if (!isValidCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return NaN;
  }
  let i = 19;
  let millis = 0;
  let subMs = false;
  if (s.charCodeAt(i) === 46) {
    // . fraction: at least one digit, any length
    i++;
    const fracStart = i;
    while (i < n) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      const pos = i - fracStart;
      if (pos < 3) millis += d * (pos === 0 ? 100 : pos === 1 ? 10 : 1);
      else if (d !== 0) subMs = true;
      i++;
    }
    if (i === fracStart) return NaN;
  }
  let offsetMinutes = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    // Z z
    if (i + 1 !== n) return NaN;
  } else if (z === 43 || z === 45) {
    // + -
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return NaN;
    const oh = digits2(s, i + 1);
    const om = digits2(s, i + 4);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return NaN;
    offsetMinutes = (oh * 60 + om) * (z === 45 ? -1 : 1);
  } else {
    return NaN;
  }
  scannedSubMs = subMs;
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    millis -
    offsetMinutes * MS_PER_MINUTE
  );
}

/** Epoch milliseconds (sub-millisecond digits truncated) of a strict RFC 3339 date-time, or undefined. */
export function parseRfc3339(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = scanRfc3339(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Epoch milliseconds of UTC midnight for a strict `YYYY-MM-DD` calendar date, or undefined. */
export function parseIsoDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const days = scanDate(value);
  return Number.isNaN(days) ? undefined : days * MS_PER_DAY;
}

// Set by scanDate for the date it last accepted.
let scannedYear = 0;
let scannedMonth = 0;
let scannedDay = 0;

/** Days since the epoch of an exact `YYYY-MM-DD` real calendar date, or NaN. */
function scanDate(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y1 = digits2(s, 0);
  const y2 = digits2(s, 2);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0) return NaN;
  const year = y1 * 100 + y2;
  if (!isValidCalendarDate(year, month, day)) return NaN;
  scannedYear = year;
  scannedMonth = month;
  scannedDay = day;
  return daysFromCivil(year, month, day);
}

/**
 * A policy-level instant: either a `YYYY-MM-DD` date (UTC midnight) or an
 * RFC 3339 date-time. YAML may hand us a Date for unquoted timestamps; the
 * loader keeps scalars as strings, so only strings are accepted here.
 */
export function parseDateOrDateTime(value: unknown): number | undefined {
  return parseIsoDate(value) ?? parseRfc3339(value);
}

/**
 * Whole years between a birth date and an instant, in UTC (the birthday
 * counts from its UTC midnight; 29 February birthdays turn a year older on
 * 1 March in non-leap years). Undefined when the date is not a strict
 * YYYY-MM-DD or lies after `atMs`.
 */
export function ageInYears(birthDate: unknown, atMs: number): number | undefined {
  if (typeof birthDate !== 'string') return undefined;
  const days = scanDate(birthDate);
  if (Number.isNaN(days)) return undefined;
  const by = scannedYear;
  const bm = scannedMonth;
  const bd = scannedDay;
  const birthMs = days * MS_PER_DAY;
  if (birthMs > atMs) return undefined;
  const at = civilFromEpochMs(atMs);
  let years = at.year - by;
  if (at.month < bm || (at.month === bm && at.day < bd)) years -= 1;
  return years;
}

/** UTC calendar date of an epoch-millisecond instant (inverse of daysFromCivil). */
export function civilFromEpochMs(ms: number): { year: number; month: number; day: number } {
  const z = Math.floor(ms / MS_PER_DAY) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

export const TIME_UNITS = { MS_PER_MINUTE, MS_PER_DAY } as const;
