/**
 * The allocation policy (src/domain/allocation-policy.ts, R6) as an SQL ORDER BY, for the raw
 * floor: the same keys in the same order — manual priority first, then each rule, then placed
 * at, part id, part line id — over the aliases of the waiting-lines query (pl part_lines,
 * p order_parts, o orders, c channels, cu customers, ol order_lines, pr products). The
 * haversine distance is written with the same operations in the same order as distanceKm, so
 * the database and V8 agree on it except in the last bit of sin/cos, which can only swap two
 * customers whose distances differ by less than a nanometre (the bench checks that the raw floor
 * chose the same parts as the real path).
 */
import type { AllocationRule, Place } from '../src/domain/allocation-policy.js';
import type { Dialect } from '../src/store/db.js';

export interface SqlFragment {
  readonly text: string;
  readonly params: readonly unknown[];
}

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

export function rankingOrderBy(rules: readonly AllocationRule[], tierOrder: readonly string[], origin: Place, dialect: Dialect): SqlFragment {
  // PostgreSQL sorts text by the database collation; the domain compares code units.
  const text = (col: string) => (dialect === 'postgres' ? `${col} collate "C"` : col);
  const keys: string[] = ['o.priority desc'];
  const params: unknown[] = [];
  for (const rule of rules) {
    switch (rule) {
      case 'fifo':
        keys.push(text('p.placed_at'));
        break;
      case 'channel_priority':
        keys.push('c.priority desc', '(ol.unit_price_cents - pr.cost_cents) desc');
        break;
      case 'customer_tier': {
        const rank = new Map<string, number>();
        tierOrder.forEach((t, i) => rank.has(t) || rank.set(t, i));
        if (rank.size === 0) break;
        const int = dialect === 'postgres' ? '?::integer' : '?';
        keys.push(`case cu.tier ${[...rank].map(() => `when ? then ${int}`).join(' ')} else ${int} end`);
        for (const [tier, i] of rank) params.push(tier, i);
        params.push(tierOrder.length);
        break;
      }
      case 'proximity': {
        keys.push('case when cu.country = ? then 0 else 1 end');
        params.push(origin.country);
        if (origin.latitude === null || origin.longitude === null) break; // every distance is unknown: all equal
        keys.push('case when cu.latitude is null or cu.longitude is null then 1 else 0 end');
        const d = distanceSql(origin.latitude, origin.longitude, dialect);
        keys.push(d.text);
        params.push(...d.params);
        break;
      }
      default:
        throw new Error(`unknown allocation rule: ${String(rule satisfies never)}`);
    }
  }
  keys.push(text('p.placed_at'), text('p.id'), text('pl.id'));
  return { text: keys.join(', '), params };
}

/** distanceKm(origin, customer) of the domain, term by term. */
function distanceSql(lat: number, lon: number, dialect: Dialect): SqlFragment {
  const min = dialect === 'postgres' ? 'least' : 'min';
  const num = dialect === 'postgres' ? (p: string) => `${p}::float8` : (p: string) => p;
  const half = (col: string) => `sin(((${col} - ${num('?')}) * ${num('?')}) / 2.0)`;
  const text =
    `(2.0 * ${EARTH_RADIUS_KM}) * asin(${min}(1.0, sqrt(` +
    `(${half('cu.latitude')} * ${half('cu.latitude')}) + ((${num('?')} * cos(cu.latitude * ${num('?')})) * (${half('cu.longitude')} * ${half('cu.longitude')}))` +
    `)))`;
  // cos of the origin's latitude is V8's, as in the domain.
  return { text, params: [lat, RAD, lat, RAD, Math.cos(lat * RAD), RAD, lon, RAD, lon, RAD] };
}
