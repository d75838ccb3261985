import type { Store } from '../store/db.js';

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
}
