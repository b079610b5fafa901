/**
 * Public types of the fake Genesys Cloud server. Deliberately independent of
 * src/genesys so the fake describes the real API, not our client's view of it.
 */

export interface FakeGenesysOptions {
  /** OAuth clients accepted by the login host. Default [{id:'test-client', secret:'test-secret'}]. */
  clients?: { id: string; secret: string }[];
  /** `expires_in` of issued tokens. Default 86400 (the Genesys default of 24 h). */
  tokenTtlSeconds?: number;
  /** API requests allowed per window per bearer token; 0/undefined = unlimited. */
  rateLimitPerMinute?: number;
  /** Length of the API rate-limit window. Default 60000 (Genesys counts per minute). */
  rateLimitWindowMs?: number;
  /** Token requests allowed per minute per OAuth client. Default 300. */
  tokenRateLimitPerMinute?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port of the API host. Default 0 (any free port). */
  apiPort?: number;
  /** Port of the login host. Default 0 (any free port). */
  loginPort?: number;
  /** Time source in epoch ms for token expiry and rate windows. Default Date.now. */
  now?: () => number;
  /**
   * Keep request bodies in `requests` (default true). false keeps `bodyBytes`
   * but leaves `rawBody` '' and `body` undefined: for benchmarks that send
   * hundreds of megabytes.
   */
  recordBodies?: boolean;
  /** Called after each request is answered (or dropped): e.g. a request log when run by hand. */
  onResponse?: (request: RecordedRequest) => void;
}

export type ServerKind = 'login' | 'api';

export interface RecordedRequest {
  /** 1-based arrival order across both hosts. */
  seq: number;
  /** Arrival time (epoch ms, from the `now` option). */
  at: number;
  server: ServerKind;
  method: string;
  /** Path without the query string, as sent (not percent-decoded). */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON, or the parsed form for x-www-form-urlencoded bodies, else undefined. */
  body: unknown;
  rawBody: string;
  bodyBytes: number;
  /** Status sent; 0 while pending or when the connection was dropped. */
  status: number;
}

/**
 * `phase` (delay and drop): 'before' (default) acts before the request is
 * handled; 'after' handles it first (contacts are stored) and then delays or
 * drops the response: the "lost response" case a retrying client must survive.
 */
export type FaultPhase = 'before' | 'after';

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; retryAfterSeconds?: number }
  | { kind: 'delay'; ms: number; phase?: FaultPhase }
  | { kind: 'drop'; phase?: FaultPhase };

export interface FaultMatch {
  method?: string;
  pathIncludes?: string;
  server?: ServerKind;
}

export interface PhoneColumn {
  columnName: string;
  type: string;
  callableTimeColumn?: string;
}

export interface EmailColumn {
  columnName: string;
  type: string;
  contactableTimeColumn?: string;
}

export interface ContactListInput {
  id?: string;
  name: string;
  columnNames: string[];
  phoneColumns?: PhoneColumn[];
  emailColumns?: EmailColumn[];
}

/** Media types Genesys keys `contactableStatus` by. */
export const CONTACTABLE_MEDIA = ['Voice', 'SMS', 'Email'] as const;

export interface ContactableStatus {
  contactable: boolean;
  columnStatus?: Record<string, { contactable: boolean }>;
}

/** A contact as Genesys stores and returns it (`DialerContact`). */
export interface FakeContact {
  id: string;
  contactListId: string;
  data: Record<string, string>;
  callable: boolean;
  phoneNumberStatus?: Record<string, { callable: boolean }>;
  contactableStatus?: Record<string, ContactableStatus>;
}

/** Seed input for `seedContacts`: a contact as it already sits in the list. */
export interface SeedContact {
  id: string;
  data: Record<string, string>;
  callable?: boolean;
  phoneNumberStatus?: Record<string, { callable: boolean }>;
  contactableStatus?: Record<string, ContactableStatus>;
}
