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

// RFC 3339 5.6: full-date "T" full-time, time-offset "Z" / ("+" / "-") hh:mm.
// T and Z may be lower case (RFC 3339 5.6, NOTE). Anchored; no whitespace.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

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
  const m = DATE_TIME.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (!isValidCalendarDate(year, month, day)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offHours = Number(m[10]);
    const offMinutes = Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (offHours * 60 + offMinutes) * (m[9] === '-' ? -1 : 1);
  }
  const fraction = m[7] ?? '';
  const millis = fraction.length === 0 ? 0 : Number((fraction + '00').slice(0, 3));
  const subMillisecond = fraction.length > 3 && /[1-9]/.test(fraction.slice(3));
  const epochMs =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    millis -
    offsetMinutes * MS_PER_MINUTE;
  return { epochMs, subMillisecond };
}

/** Epoch milliseconds (sub-millisecond digits truncated) of a strict RFC 3339 date-time, or undefined. */
export function parseRfc3339(value: unknown): number | undefined {
  return parseRfc3339Instant(value)?.epochMs;
}

/** Epoch milliseconds of UTC midnight for a strict `YYYY-MM-DD` calendar date, or undefined. */
export function parseIsoDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE_ONLY.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isValidCalendarDate(year, month, day)) return undefined;
  return daysFromCivil(year, month, day) * MS_PER_DAY;
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
  const m = DATE_ONLY.exec(birthDate);
  if (m === null) return undefined;
  const by = Number(m[1]);
  const bm = Number(m[2]);
  const bd = Number(m[3]);
  if (!isValidCalendarDate(by, bm, bd)) return undefined;
  const birthMs = daysFromCivil(by, bm, bd) * MS_PER_DAY;
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
