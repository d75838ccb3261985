import { useState, type FormEvent } from 'react';
import type { ChannelSettings, ChannelWindow } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { EmptyState } from '../../ui/empty-state';
import { FieldError, fieldError } from '../../ui/field-error';
import { SaveStatus } from '../../ui/save-status';
import { usePatchChannel } from './settings-queries';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** 2024-01-01 was a Monday: ISO weekday n is that day + n − 1. */
const weekdayDate = (n: number) => new Date(Date.UTC(2024, 0, n, 12));

interface Draft {
  acceptsBackorders: boolean;
  kind: ChannelWindow['kind'];
  days: string;
  shipmentDays: number[];
  cutoffDays: string;
  share: string;
  customerEmails: boolean;
}

function draftOf(c: ChannelSettings): Draft {
  const w = c.window;
  return {
    acceptsBackorders: c.acceptsBackorders,
    kind: w.kind,
    days: w.kind === 'days' ? String(w.days) : '10',
    shipmentDays: w.kind === 'until_next_shipment' ? [...w.shipmentDays] : [],
    cutoffDays: w.kind === 'until_next_shipment' ? String(w.cutoffDays) : '1',
    share: c.share === null ? '' : String(c.share),
    customerEmails: c.customerEmails,
  };
}

function windowOf(d: Draft): ChannelWindow {
  if (d.kind === 'days') return { kind: 'days', days: Number(d.days) };
  if (d.kind === 'until_next_shipment') return { kind: 'until_next_shipment', shipmentDays: d.shipmentDays, cutoffDays: Number(d.cutoffDays) };
  return { kind: 'none' };
}

/** One channel's R1 switch, R7 window and share, and R11's customer e-mails. */
function ChannelCard({ channel, canEdit }: { channel: ChannelSettings; canEdit: boolean }) {
  const { t, language } = useI18n();
  const save = usePatchChannel(channel.code);
  const [d, setD] = useState(() => draftOf(channel));
  const set = (patch: Partial<Draft>) => setD({ ...d, ...patch });
  const weekday = new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' });
  const id = (field: string) => `channel-${channel.code}-${field}`;
  const errors = {
    days: fieldError(save.error, 'window.days'),
    shipmentDays: fieldError(save.error, 'window.shipmentDays'),
    cutoffDays: fieldError(save.error, 'window.cutoffDays'),
    share: fieldError(save.error, 'share', ['SHARES_OVER_ONE']),
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ acceptsBackorders: d.acceptsBackorders, window: windowOf(d), share: d.share.trim() === '' ? null : Number(d.share), customerEmails: d.customerEmails });
  };
  return (
    <form className="card channel-card" onSubmit={submit} noValidate data-channel={channel.code} aria-labelledby={id('title')}>
      <h3 id={id('title')}>
        {channel.name} <span className="muted small">{channel.code === channel.kind ? channel.code : `${channel.code} · ${channel.kind}`}</span>
      </h3>
      <fieldset disabled={!canEdit}>
        <label className="check">
          <input type="checkbox" checked={d.acceptsBackorders} onChange={(e) => set({ acceptsBackorders: e.target.checked })} />
          {t('settings.channel.acceptsBackorders')}
        </label>
        <label className="check">
          <input type="checkbox" checked={d.customerEmails} onChange={(e) => set({ customerEmails: e.target.checked })} />
          {t('settings.channel.customerEmails')}
        </label>
        <label htmlFor={id('window')}>{t('settings.channel.window')}</label>
        <select id={id('window')} value={d.kind} onChange={(e) => set({ kind: e.target.value as ChannelWindow['kind'] })}>
          <option value="none">{t('settings.window.none')}</option>
          <option value="days">{t('settings.window.days')}</option>
          <option value="until_next_shipment">{t('settings.window.until_next_shipment')}</option>
        </select>
        {d.kind === 'days' && (
          <>
            <label htmlFor={id('days')}>{t('settings.channel.days')}</label>
            <input id={id('days')} type="number" min="0" max="365" value={d.days} onChange={(e) => set({ days: e.target.value })} aria-invalid={errors.days !== null} aria-describedby={id('days-error')} />
            <FieldError id={id('days-error')} message={errors.days} />
          </>
        )}
        {d.kind === 'until_next_shipment' && (
          <>
            <fieldset className="weekdays" aria-describedby={id('shipment-error')}>
              <legend>{t('settings.channel.shipmentDays')}</legend>
              {WEEKDAYS.map((n) => (
                <label key={n} className="check">
                  <input
                    type="checkbox"
                    checked={d.shipmentDays.includes(n)}
                    onChange={(e) => set({ shipmentDays: e.target.checked ? [...d.shipmentDays, n].sort() : d.shipmentDays.filter((x) => x !== n) })}
                  />
                  {weekday.format(weekdayDate(n))}
                </label>
              ))}
            </fieldset>
            <FieldError id={id('shipment-error')} message={errors.shipmentDays} />
            <label htmlFor={id('cutoff')}>{t('settings.channel.cutoffDays')}</label>
            <input id={id('cutoff')} type="number" min="0" max="30" value={d.cutoffDays} onChange={(e) => set({ cutoffDays: e.target.value })} aria-invalid={errors.cutoffDays !== null} aria-describedby={id('cutoff-error')} />
            <FieldError id={id('cutoff-error')} message={errors.cutoffDays} />
          </>
        )}
        <label htmlFor={id('share')}>{t('settings.channel.share')}</label>
        <input id={id('share')} type="number" step="0.05" min="0" max="1" value={d.share} placeholder={t('settings.channel.shareEqual')} onChange={(e) => set({ share: e.target.value })} aria-invalid={errors.share !== null} aria-describedby={`${id('share-hint')} ${id('share-error')}`} />
        <p className="muted small hint" id={id('share-hint')}>
          {t('settings.channel.shareHint')}
        </p>
        <FieldError id={id('share-error')} message={errors.share} />
      </fieldset>
      {canEdit && (
        <div className="form-actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('common.save')}
          </button>
          <SaveStatus mutation={save} shownAtFields={Object.values(errors).some((e) => e !== null)} />
        </div>
      )}
    </form>
  );
}

export function ChannelSettingsList({ channels, canEdit }: { channels: readonly ChannelSettings[]; canEdit: boolean }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="settings-channels">
      <h2 id="settings-channels">{t('settings.channels')}</h2>
      {channels.length === 0 ? (
        <EmptyState>{t('settings.noChannels')}</EmptyState>
      ) : (
        <div className="channel-cards">
          {channels.map((c) => (
            <ChannelCard key={c.code} channel={c} canEdit={canEdit} />
          ))}
        </div>
      )}
    </section>
  );
}
