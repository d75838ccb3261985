import { AppError } from './app-error.js';

/** R18: the longest range one KPI request may cover, both ends inclusive (two years and a leap day). */
export const MAX_RANGE_DAYS = 731;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Checks a KPI date range; the error says which rule it broke, and nothing is read. */
export function checkKpiRange(from: string, to: string): { from: string; to: string; days: number } {
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!isCalendarDay(value)) throw new AppError('VALIDATION_FAILED', `${field} must be a calendar day written YYYY-MM-DD, got '${value}'.`, { field });
  }
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw new AppError('INVALID_DATE_RANGE', `The range ends (${to}) before it starts (${from}).`, { from, to });
  if (days > MAX_RANGE_DAYS) {
    throw new AppError('INVALID_DATE_RANGE', `A range covers at most ${MAX_RANGE_DAYS} days (two years); ${from} to ${to} is ${days}.`, { from, to, days, maxDays: MAX_RANGE_DAYS });
  }
  return { from, to, days };
}
