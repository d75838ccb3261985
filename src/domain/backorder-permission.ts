/** R1: a unit may be backordered only when organisation, product and channel all allow it. */
export type BackorderPolicy = 'inherit' | 'allow' | 'deny' | 'preorder';

export const BACKORDER_POLICIES: readonly BackorderPolicy[] = ['inherit', 'allow', 'deny', 'preorder'];

export interface BackorderSwitches {
  readonly organisationEnabled: boolean;
  readonly productPolicy: BackorderPolicy;
  readonly channelAccepts: boolean;
}

export function backorderAllowed(s: BackorderSwitches): boolean {
  // `inherit` defers to the organisation switch, which is checked anyway; `preorder` is a kind of backorder (R14).
  return s.organisationEnabled && s.productPolicy !== 'deny' && s.channelAccepts;
}
