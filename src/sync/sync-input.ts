import { Injectable } from '@nestjs/common';
import {
  detectFormat,
  readContacts,
  type InputFormat,
  type InputRecord,
} from '../contacts/contact-reader';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';

/** The contact file reader behind an injectable class, so job tests can feed records from memory. */
@Injectable()
export class SyncInput {
  detect(path: string, explicit?: string): InputFormat {
    try {
      return detectFormat(path, explicit);
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw new DomainError(
        ErrorCode.SYNC_INPUT_INVALID,
        `Cannot tell the format of ${path}; pass --format json|ndjson|csv.`,
      );
    }
  }

  read(path: string, format: InputFormat): AsyncIterable<InputRecord> {
    return readContacts(path, format);
  }
}
