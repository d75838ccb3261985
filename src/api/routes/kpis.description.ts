/** R18: the KPI definitions as the OpenAPI document states them (README § KPIs says the same). */
export const KPI_DESCRIPTION = [
  'Figures for `from`–`to` (UTC days, both inclusive, at most 731 days): `totals` over the range and `series`, one entry per day with any activity (days without are left out).',
  'With `by`, also `groups` (cursor-paged in key order, `limit` ≤ 200): each with its `channel` (code), `sku`, or `supplier` ({id, name}; null for units from freed or adjusted stock), its `totals` and `series`.',
  '',
  '**Which day a figure belongs to.** Line figures (lines, units ordered, allocated at intake, backordered, oversold, cancelled while waiting) count on the day the order was placed on its channel (`placedAt`). Waits and promises count on the day the units were allocated (a receipt: its `receivedAt`; freed or adjusted stock: when that step ran). Shipments count on the day shipped.',
  '',
  '**Definitions.**',
  '- `backorderRate` = `linesBackordered` / `lines`: the share of order lines with at least one unit not reserved from stock at intake.',
  '- `fillRateAtOrder` = `unitsAllocatedAtIntake` / `unitsOrdered`. `unitsBackordered` = `unitsOrdered` − `unitsAllocatedAtIntake`.',
  '- `averageWaitDays`: over every backordered unit allocated later (`unitsFilled`), the mean of (allocated − `placedAt`), in days, from whole seconds; a wait is never below 0.',
  '- `p90WaitDays`: the smallest whole number of days (elapsed time rounded down) that at least 90 % of `unitsFilled` did not exceed (nearest rank, per unit).',
  '- `promiseKeptRate` = `promisesKept` / `promisesJudged`. A promise is judged when a backorder part with a promised date gets its last waiting units; it is kept when that day is on or before the promised date the part had then (the date the customer was last told). Parts still waiting, or cancelled while waiting, are not judged.',
  '- `backorderCancellationRate` = `unitsCancelledWaiting` / `unitsBackordered`: units cancelled while they still waited, of the units backordered at intake (both on the order\'s placed day).',
  '- `unitsOversold`: units stored as oversold at intake (no stock and no incoming purchase-order capacity covered them, R3).',
  '- `shipments`, `waivedShipments`: parts shipped; every shipment of an order after its first has its shipping waived (R17). The shipping cost itself is not recorded, so no waived cost is reported.',
  '',
  '**Groups.** Channel: the order\'s channel. SKU: the line\'s product; a part-level figure (promise, shipment) counts once for each SKU of the units that completed or filled it. Supplier: the supplier of the purchase order whose receipt allocated the units (waits, promises); line figures have no supplier. Rates are null where their denominator is 0.',
].join('\n');
