import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { ContactableStatus } from './genesys.types';

export function requireId(id: unknown): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new DomainError(
      ErrorCode.GENESYS_INVALID_DATA,
      'Every contact needs a non-empty string id.',
      {
        errors: [{ path: 'id', message: 'missing contact id' }],
      },
    );
  }
}

export function assertColumnsOfKind(
  listId: string,
  kind: 'phone' | 'email',
  allowed: string[],
  asked: string[],
): void {
  const wrong = asked.filter((c) => !allowed.includes(c));
  if (wrong.length === 0) return;
  throw new DomainError(
    ErrorCode.GENESYS_INVALID_DATA,
    `Contact list ${listId} has no ${kind} column(s) ${wrong.map((c) => `"${c}"`).join(', ')}; ` +
      `its ${kind} columns are: ${allowed.join(', ') || '(none)'}.`,
    { extra: { listId, columns: wrong } },
  );
}

/**
 * contactableStatus is keyed by media type; single email columns are marked
 * in `Email.columnStatus`, and the whole medium once all its columns are off.
 */
export function withUncontactableEmails(
  existing: Record<string, ContactableStatus> | undefined,
  emailColumns: string[],
  columns: string[],
): Record<string, ContactableStatus> | undefined {
  if (columns.length === 0) return existing;
  const out: Record<string, ContactableStatus> = { ...(existing ?? {}) };
  const prev = out.Email;
  const columnStatus = { ...(prev?.columnStatus ?? {}) };
  for (const col of columns) columnStatus[col] = { contactable: false };
  const allOff = emailColumns.every((c) => columnStatus[c]?.contactable === false);
  out.Email = { contactable: allOff ? false : (prev?.contactable ?? true), columnStatus };
  return out;
}
