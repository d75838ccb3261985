import { useChannels } from '../../api/channel-queries';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { AllocationPolicy } from './allocation-policy';
import { ChannelSettingsList } from './channel-settings';
import { OfferSettings } from './offer-settings';
import { Seasons } from './seasons';
import { AlertSettings } from './alert-settings';
import { SenderSettings } from './sender-settings';
import { SupplierSettings } from './supplier-settings';
import { useSettings } from './settings-queries';
import { Webhooks } from './webhooks';

/** The organisation's settings (R1, R6, R7, R11, R12, R15). Every key may read them; only an admin key changes them. */
export function SettingsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const canEdit = me.key.role === 'admin';
  const settings = useSettings();
  const channels = useChannels();
  if (settings.isPending || channels.isPending) return <Loading />;
  if (settings.isError) return <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} />;
  if (channels.isError) return <ErrorMessage error={channels.error} onRetry={() => void channels.refetch()} />;
  const s = settings.data;
  return (
    <>
      <h1>{t('settings.title')}</h1>
      {!canEdit && <p className="notice">{t('settings.readOnly')}</p>}
      <div className="settings-grid">
        <OfferSettings settings={s} canEdit={canEdit} />
        <AllocationPolicy policy={s.allocationPolicy} canEdit={canEdit} />
      </div>
      <div className="settings-grid">
        <SupplierSettings settings={s} canEdit={canEdit} />
        <AlertSettings settings={s} canEdit={canEdit} />
      </div>
      <ChannelSettingsList channels={channels.data.items} canEdit={canEdit} />
      <Seasons seasons={s.seasons} canEdit={canEdit} />
      <SenderSettings settings={s} canEdit={canEdit} />
      <Webhooks canEdit={canEdit} />
    </>
  );
}
