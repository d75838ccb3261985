import { AppError } from '../domain/app-error.js';

/** Cursors are opaque to clients: the last key of the previous page, base64url-encoded. */
export function encodeCursor(key: string | null): string | null {
  return key === null ? null : Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key.length === 0 || key.length > 120 || !/^[\x20-\x7e]+$/.test(key)) {
    throw new AppError('INVALID_CURSOR', 'The cursor is not one this API returned.');
  }
  return key;
}
