import type { Selectable, Updateable } from 'kysely';
import type { SpikeRule } from '../domain/demand-spike.js';
import type { OrganisationsTable } from '../store/schema.js';

/** R9, R10: the organisation's alert settings, as GET/PATCH /v1/settings show and take them. */
export interface AlertSettingsView {
  /** R9: the spike rule; `enabled: false` turns detection off at intake. */
  demandSpikes: SpikeRule;
  /** R10: a backorder part waiting longer than this many days raises `backorder_aging`. */
  backorderAgingDays: number;
}

export type AlertSettingsPatch = {
  demandSpikes?: Partial<SpikeRule>;
  backorderAgingDays?: number;
};

export function alertSettingsOf(o: Selectable<OrganisationsTable>): AlertSettingsView {
  return {
    demandSpikes: {
      enabled: o.spike_detection === 1,
      baselineDays: o.spike_baseline_days,
      windowHours: o.spike_window_hours,
      factor: Number(o.spike_factor),
      minUnits: o.spike_min_units,
      pauseHours: o.spike_pause_hours,
    },
    backorderAgingDays: o.backorder_aging_days,
  };
}

/** The organisation columns a patch sets. */
export function alertSettingsColumns(patch: AlertSettingsPatch): Updateable<OrganisationsTable> {
  const s = patch.demandSpikes ?? {};
  return {
    ...(s.enabled !== undefined ? { spike_detection: s.enabled ? 1 : 0 } : {}),
    ...(s.baselineDays !== undefined ? { spike_baseline_days: s.baselineDays } : {}),
    ...(s.windowHours !== undefined ? { spike_window_hours: s.windowHours } : {}),
    ...(s.factor !== undefined ? { spike_factor: s.factor } : {}),
    ...(s.minUnits !== undefined ? { spike_min_units: s.minUnits } : {}),
    ...(s.pauseHours !== undefined ? { spike_pause_hours: s.pauseHours } : {}),
    ...(patch.backorderAgingDays !== undefined ? { backorder_aging_days: patch.backorderAgingDays } : {}),
  };
}
