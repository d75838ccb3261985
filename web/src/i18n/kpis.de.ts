import type { kpisEn } from './kpis.en';

export const kpisDe: Record<keyof typeof kpisEn, string> = {
  'nav.kpis': 'Kennzahlen',
  'kpis.title': 'Rückstands-Kennzahlen',
  'kpis.range': 'Zeitraum',
  'kpis.from': 'Von',
  'kpis.to': 'Bis',
  'kpis.presets': 'Schnellauswahl',
  'kpis.lastDays': 'Letzte {n} Tage',
  'kpis.backorderRate': 'Rückstandsquote',
  'kpis.fillRate': 'Lieferquote bei Bestellung',
  'kpis.averageWait': 'Mittlere Wartezeit',
  'kpis.p90Wait': 'P90-Wartezeit',
  'kpis.promiseKept': 'Zusagen eingehalten',
  'kpis.days.one': '{n} Tag',
  'kpis.days.other': '{n} Tage',
  'kpis.daysShort': 'T',
  'kpis.volume': '{lines} Bestellpositionen, {units} Stück bestellt, {oversold} Stück überverkauft in diesem Zeitraum.',
  'kpis.empty': 'Keine Bestellungen, Wareneingänge oder Sendungen in diesem Zeitraum.',
  'kpis.chartLabel': '{figure} je Tag und Kanal',
  'kpis.perChannel': 'Je Kanal',
  'kpis.channel': 'Kanal',
};
