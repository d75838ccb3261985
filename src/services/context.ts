import type { AllowList } from '../domain/address-policy.js';
import type { Store } from '../store/db.js';
import type { Mailer } from './customer-messages.service.js';

export type Role = 'admin' | 'operator' | 'read-only';

/** Who is asking: every service call is scoped to one organisation. */
export interface Caller {
  readonly orgId: string;
  readonly role: Role;
  readonly keyId: string;
}

export interface Services {
  readonly store: Store;
  readonly now: () => Date;
  /** R12: where webhooks may go beyond public addresses, when a failing delivery is dead-lettered, how long an attempt's lease lasts (default 30 s). */
  /** R11: sends customer e-mails (SMTP_URL); without one, messages are only written to the message log. */
  readonly mailer?: Mailer;
  readonly webhooks?: { readonly allow: AllowList; readonly deadLetterAfterMs: number; readonly leaseMs?: number };
}
