/**
 * Routes of the fake API host (after auth, rate limit and size checks).
 * Handlers throw FakeApiError; the server turns it into Genesys' error body.
 */
import type { ContactStore } from './contact-store';
import type { DncStore } from './dnc-store';
import { badRequest, FakeApiError } from './genesys-errors';
import { mediaType, type FakeResponse } from './http-io';

export interface ApiRequest {
  method: string;
  /** Percent-decoded path segments after /api/v2/outbound. */
  segments: string[];
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  rawBody: string;
}

const PREFIX = ['api', 'v2', 'outbound'];

export function splitApiPath(path: string): string[] | undefined {
  let segments: string[];
  try {
    segments = path
      .split('/')
      .filter((s) => s.length > 0)
      .map(decodeURIComponent);
  } catch {
    throw badRequest('The request path is not valid percent-encoding');
  }
  // Under /api/v2 a request is authenticated first (then 404s if the fake lacks the route);
  // anything else is not an API path at all.
  if (segments[0] !== 'api' || segments[1] !== 'v2') return undefined;
  if (!PREFIX.every((p, i) => segments[i] === p)) return ['(unsupported)'];
  return segments.slice(PREFIX.length);
}

export interface Stores {
  contacts: ContactStore;
  dnc: DncStore;
}

export function routeApi(req: ApiRequest, stores: Stores): FakeResponse {
  const store = stores.contacts;
  const [collection, id, sub, subId, ...rest] = req.segments;
  if (rest.length > 0 || id === undefined) {
    if (collection === 'contactlists' && id === undefined) {
      allow(req, 'GET');
      return ok(listPage(req, store));
    }
    throw notFound();
  }
  if (collection === 'contactlists') return contactListRoute(req, store, id, sub, subId);
  if (collection === 'dnclists') return dncRoute(req, stores.dnc, id, sub, subId);
  throw notFound();
}

function contactListRoute(
  req: ApiRequest,
  store: ContactStore,
  listId: string,
  sub: string | undefined,
  contactId: string | undefined,
): FakeResponse {
  if (sub === undefined) {
    allow(req, 'GET');
    return ok(store.listView(listId, flag(req, 'includeSize')));
  }
  if (sub !== 'contacts') throw notFound();
  if (contactId === undefined) {
    allow(req, 'POST', 'DELETE');
    if (req.method === 'DELETE') {
      store.deleteContacts(listId, contactIdsOf(req));
      return { status: 204 };
    }
    // Genesys accepts these flags; the fake has no dialer queue so they are only validated,
    // before anything is stored.
    flag(req, 'priority');
    flag(req, 'doNotQueue');
    const clearSystemData = flag(req, 'clearSystemData');
    return ok(store.addContacts(listId, jsonBody(req), { clearSystemData }));
  }
  if (contactId === 'bulk' && req.method === 'POST') {
    return ok(store.bulkGet(listId, jsonBody(req)));
  }
  allow(req, 'GET', 'PUT', 'DELETE');
  if (req.method === 'GET') return ok(store.getContact(listId, contactId));
  if (req.method === 'DELETE') {
    store.deleteContact(listId, contactId);
    return { status: 204 };
  }
  return ok(store.putContact(listId, contactId, jsonBody(req)));
}

function dncRoute(
  req: ApiRequest,
  store: DncStore,
  dncListId: string,
  sub: string | undefined,
  extra: string | undefined,
): FakeResponse {
  if (extra !== undefined) throw notFound();
  if (sub === undefined) {
    allow(req, 'GET');
    return ok(store.view(dncListId));
  }
  if (sub !== 'phonenumbers' && sub !== 'emailaddresses') throw notFound();
  allow(req, 'POST');
  const expiration = single(req, 'expirationDateTime');
  const kind = sub === 'phonenumbers' ? 'phoneNumbers' : 'emailAddresses';
  store.add(dncListId, kind, jsonBody(req), expiration);
  return { status: 204 };
}

function listPage(req: ApiRequest, store: ContactStore): Record<string, unknown> {
  const pageSize = positiveInt(single(req, 'pageSize') ?? '25', 'pageSize', 500);
  const pageNumber = positiveInt(single(req, 'pageNumber') ?? '1', 'pageNumber', 1_000_000);
  return store.listPage(pageSize, pageNumber, single(req, 'name'));
}

function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

function notFound(): FakeApiError {
  return new FakeApiError(404, 'not.found', 'The requested resource was not found.');
}

function allow(req: ApiRequest, ...methods: string[]): void {
  if (!methods.includes(req.method)) {
    throw new FakeApiError(
      405,
      'method.not.allowed',
      'Method {method} is not allowed here',
      { method: req.method },
      { headers: { Allow: methods.join(', ') } },
    );
  }
}

function jsonBody(req: ApiRequest): unknown {
  if (mediaType(req.headers) !== 'application/json') {
    throw new FakeApiError(
      415,
      'unsupported.media.type',
      'Content-Type must be application/json, got [{contentType}]',
      { contentType: req.headers['content-type'] ?? '' },
    );
  }
  try {
    return JSON.parse(req.rawBody) as unknown;
  } catch {
    throw badRequest('The request could not be understood by the server due to malformed syntax.');
  }
}

function single(req: ApiRequest, name: string): string | undefined {
  const value = req.query[name];
  if (Array.isArray(value))
    throw badRequest('Query parameter {name} given more than once', { name });
  return value;
}

function flag(req: ApiRequest, name: string): boolean {
  const value = single(req, name);
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest('Query parameter {name} must be true or false, got [{value}]', { name, value });
}

function positiveInt(value: string, name: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw badRequest('Query parameter {name} must be an integer from 1 to {max}', {
      name,
      max: String(max),
    });
  }
  return n;
}

/** `contactIds` may repeat (`?contactIds=a&contactIds=b`) or be comma-separated. */
function contactIdsOf(req: ApiRequest): string[] {
  const raw = req.query.contactIds;
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return values.flatMap((v) => v.split(',')).filter((v) => v.length > 0);
}
