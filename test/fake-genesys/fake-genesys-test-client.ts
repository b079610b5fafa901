/**
 * A minimal fetch client for the fake's own specs (and handy for other specs
 * that want to poke the fake directly): gets a token, calls the API.
 */
import { DEFAULT_CLIENT, type FakeGenesys } from './fake-genesys';

export interface FetchedResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export async function readResponse(res: Response): Promise<FetchedResponse> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function requestToken(
  fake: FakeGenesys,
  client: { id: string; secret: string } = DEFAULT_CLIENT,
): Promise<FetchedResponse> {
  return readResponse(
    await fetch(`${fake.loginBaseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: basic(client.id, client.secret),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }),
  );
}

export async function getToken(
  fake: FakeGenesys,
  client: { id: string; secret: string } = DEFAULT_CLIENT,
): Promise<string> {
  const res = await requestToken(fake, client);
  const body = res.body as { access_token?: string } | undefined;
  if (res.status !== 200 || typeof body?.access_token !== 'string') {
    throw new Error(`token request failed: ${res.status} ${res.text}`);
  }
  return body.access_token;
}

/** Calls the API host; `body` is JSON-encoded unless it is already a string. */
export async function callApi(
  fake: FakeGenesys,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<FetchedResponse> {
  const allHeaders: Record<string, string> = { ...headers };
  if (token !== undefined) allHeaders.Authorization = `Bearer ${token}`;
  if (
    body !== undefined &&
    !Object.keys(allHeaders).some((h) => h.toLowerCase() === 'content-type')
  ) {
    allHeaders['Content-Type'] = 'application/json';
  }
  return readResponse(
    await fetch(`${fake.apiBaseUrl}${path}`, {
      method,
      headers: allHeaders,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}
