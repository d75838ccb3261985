import { AppError } from '../domain/app-error.js';
import { addDays } from '../domain/promise-plan.js';
import { outstanding } from '../domain/purchase-order-lifecycle.js';
import { PRICE_RULES, suggestPrice, suggestionTransition, type PriceSuggestionDecision } from '../domain/price-suggestion.js';
import { newId } from '../ids.js';
import { readDailySales, readOfferChannels } from '../store/offer-inputs.repository.js';
import {
  decideSuggestion,
  endSuggestion,
  getSuggestion,
  insertSuggestion,
  listSuggestions,
  liveSuggestions,
  priceCandidates,
  updateSuggestionFigures,
  type PriceSuggestionRow,
} from '../store/price-suggestions.repository.js';
import { readIncoming } from '../store/promises.repository.js';
import { effectiveArrivalOf } from './capacity-context.js';
import type { Caller, Services } from './context.js';
import { refreshDirtyOffers } from './offer-refresh.service.js';

/**
 * R13: price suggestions per channel and SKU (rules: src/domain/price-suggestion.ts), kept one
 * live per (channel, SKU): a new one appears when its rule starts to hold, is updated while it
 * holds, and ends when it stops (withdrawn if nobody decided it). A person accepts or dismisses
 * it; Stockbridge records who and when, and does not change any price itself.
 */
export async function refreshPriceSuggestions(services: Services, orgId: string, at: string): Promise<{ created: number; ended: number }> {
  // The rules read the stored offers: bring the ones steps marked up to date first.
  await refreshDirtyOffers(services, { orgId });
  const { dialect } = services.store;
  return services.store.transact(async (tx) => {
    const today = at.slice(0, 10);
    const rows = await priceCandidates(tx, orgId, addDays(today, PRICE_RULES.arrivalWithinDays));
    const ids = [...new Set(rows.map((r) => r.product_id))];
    const sales = ids.length > 0 ? await readDailySales(tx, ids, today) : new Map<string, number>();
    const incoming = await readIncoming(tx, dialect, orgId, ids);
    const served = new Map((await readOfferChannels(tx, orgId)).map((c) => [c.id, new Set(c.locationIds)]));
    const decisions = new Map<string, { row: (typeof rows)[number]; decision: PriceSuggestionDecision }>();
    for (const row of rows) {
      const locations = served.get(row.channel_id) ?? new Set<string>();
      const days = incoming
        .filter((l) => l.product_id === row.product_id && locations.has(l.location_id) && outstanding(l) > 0)
        .map((l) => Math.round((Date.parse(effectiveArrivalOf(l, today)) - Date.parse(today)) / 86_400_000));
      const decision = suggestPrice({
        physical: row.physical,
        offered: row.offered,
        dailySales: sales.get(row.product_id) ?? 0,
        daysToArrival: days.length > 0 ? Math.min(...days) : null,
        priceCents: row.price_cents,
      });
      if (decision) decisions.set(`${row.channel_id}|${row.product_id}`, { row, decision });
    }
    let created = 0;
    let ended = 0;
    const live = new Map((await liveSuggestions(tx, orgId)).map((s) => [`${s.channel_id}|${s.product_id}`, s]));
    for (const [key, s] of live) {
      const now = decisions.get(key);
      if (now && now.decision.rule === s.rule) {
        const figures = JSON.stringify(now.decision.figures);
        if (figures !== s.figures || now.row.price_cents !== s.price_cents) {
          await updateSuggestionFigures(tx, s.id, { reason: now.decision.reason, figures, price_cents: now.row.price_cents, suggested_price_cents: now.decision.suggestedPriceCents }, at);
        }
        decisions.delete(key);
        continue;
      }
      await endSuggestion(tx, s, at);
      ended++;
    }
    for (const { row, decision } of decisions.values()) {
      await insertSuggestion(tx, {
        id: newId('psg'),
        org_id: orgId,
        channel_id: row.channel_id,
        product_id: row.product_id,
        rule: decision.rule,
        percent: decision.percent,
        price_cents: row.price_cents,
        suggested_price_cents: decision.suggestedPriceCents,
        reason: decision.reason,
        figures: JSON.stringify(decision.figures),
        status: 'open',
        created_at: at,
        updated_at: at,
        decided_at: null,
        decided_by: null,
        ended_at: null,
      });
      created++;
    }
    return { created, ended };
  });
}

export interface PriceSuggestionView {
  id: string;
  channel: string;
  sku: string;
  rule: PriceSuggestionRow['rule'];
  percent: number;
  price: number;
  suggestedPrice: number;
  reason: string;
  figures: Record<string, number | null>;
  status: PriceSuggestionRow['status'];
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  endedAt: string | null;
}

const toView = (s: PriceSuggestionRow & { channel: string; sku: string }): PriceSuggestionView => ({
  id: s.id,
  channel: s.channel,
  sku: s.sku,
  rule: s.rule,
  percent: Number(s.percent),
  price: s.price_cents / 100,
  suggestedPrice: s.suggested_price_cents / 100,
  reason: s.reason,
  figures: JSON.parse(s.figures) as Record<string, number | null>,
  status: s.status,
  createdAt: s.created_at,
  updatedAt: s.updated_at,
  decidedAt: s.decided_at,
  decidedBy: s.decided_by,
  endedAt: s.ended_at,
});

/** GET /v1/price-suggestions: decided now for the caller's organisation, then listed. */
export async function listPriceSuggestions(services: Services, caller: Caller, q: { after: string | null; limit: number; status?: PriceSuggestionRow['status'] }) {
  await refreshPriceSuggestions(services, caller.orgId, services.now().toISOString());
  const rows = await listSuggestions(services.store.db, caller.orgId, { ...q, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  return { items: page.map(toView), next: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

async function viewById(services: Services, caller: Caller, id: string): Promise<PriceSuggestionView> {
  const [row] = await listSuggestions(services.store.db, caller.orgId, { id, after: null, limit: 1 });
  if (!row) throw new AppError('NOT_FOUND', `No price suggestion with id '${id}'.`, { id });
  return toView(row);
}

/**
 * POST /v1/price-suggestions/{id}/accept|dismiss: records the decision, who (the API key) and
 * when. The same decision again answers the suggestion as it is; another, or a withdrawn
 * suggestion, is 409 INVALID_TRANSITION; unknown or another organisation's, 404.
 */
export async function decidePriceSuggestion(services: Services, caller: Caller, id: string, decision: 'accept' | 'dismiss'): Promise<PriceSuggestionView> {
  await services.store.transact(async (tx) => {
    const s = await getSuggestion(tx, caller.orgId, id);
    if (!s) throw new AppError('NOT_FOUND', `No price suggestion with id '${id}'.`, { id });
    const to = suggestionTransition(s.status, decision);
    if (to === null) throw new AppError('INVALID_TRANSITION', `A price suggestion that is ${s.status} cannot be ${decision === 'accept' ? 'accepted' : 'dismissed'}.`, { from: s.status, event: decision });
    if (to !== s.status) await decideSuggestion(tx, s.id, to as 'accepted' | 'dismissed', services.now().toISOString(), caller.keyId);
  });
  return viewById(services, caller, id);
}
