import { AppError } from '../domain/app-error.js';

/** Amounts travel as decimal numbers with at most two decimals and are stored as integer cents. */
export function toCents(amount: number, field: string): number {
  const cents = Math.round(amount * 100);
  if (Math.abs(cents - amount * 100) > 1e-6 || cents < 0 || !Number.isSafeInteger(cents)) {
    throw new AppError('VALIDATION_FAILED', `${field} must be a non-negative amount with at most two decimals.`, { field });
  }
  return cents;
}
