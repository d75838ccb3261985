import type { kpisEn } from './kpis.en';

export const kpisNl: Record<keyof typeof kpisEn, string> = {
  'nav.kpis': 'KPI’s',
  'kpis.title': 'Backorder-KPI’s',
  'kpis.range': 'Periode',
  'kpis.from': 'Van',
  'kpis.to': 'Tot en met',
  'kpis.presets': 'Snelle periodes',
  'kpis.lastDays': 'Laatste {n} dagen',
  'kpis.backorderRate': 'Backorderpercentage',
  'kpis.fillRate': 'Leverbaarheid bij bestelling',
  'kpis.averageWait': 'Gemiddelde wachttijd',
  'kpis.p90Wait': 'P90-wachttijd',
  'kpis.promiseKept': 'Beloftes nagekomen',
  'kpis.days.one': '{n} dag',
  'kpis.days.other': '{n} dagen',
  'kpis.daysShort': 'd',
  'kpis.volume': '{lines} orderregels, {units} stuks besteld, {oversold} stuks oververkocht in deze periode.',
  'kpis.empty': 'Geen bestellingen, ontvangsten of zendingen in deze periode.',
  'kpis.chartLabel': '{figure} per dag en kanaal',
  'kpis.perChannel': 'Per kanaal',
  'kpis.channel': 'Kanaal',
};
