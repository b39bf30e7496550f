import { useQuery } from '@tanstack/react-query';
import { ErrorState, Loading, PageHeader } from '@/components/ui';
import { ApiKeyCard } from '@/components/settings/ApiKeyCard';
import { ConfigCard } from '@/components/settings/ConfigCard';
import { OpenAiKeyCard } from '@/components/settings/OpenAiKeyCard';
import { ProfileCard } from '@/components/settings/ProfileCard';
import { RateLimitsCard } from '@/components/settings/RateLimitsCard';
import { api } from '@/lib/api';
import { CONFIG_KEY, configPollInterval, PROFILE_KEY, type Profile, type TenantConfig } from '@/lib/settings';

export function SettingsPage() {
  const profile = useQuery({ queryKey: PROFILE_KEY, queryFn: () => api<Profile>('/api/customers/profile') });
  // while documents are embedded again with a new model, the status is polled every 3 s until ready or failed
  const config = useQuery({
    queryKey: CONFIG_KEY,
    queryFn: () => api<TenantConfig>('/api/customers/config'),
    refetchInterval: (query) => configPollInterval(query.state.data),
  });

  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="Your account, how documents are chunked and embedded, your limits and your keys." />
      {profile.isPending && <Loading label="Loading the profile…" />}
      {profile.error && <ErrorState error={profile.error} onRetry={() => profile.refetch()} />}
      {profile.data && <ProfileCard profile={profile.data} />}
      {config.isPending && <Loading label="Loading the configuration…" />}
      {config.error && <ErrorState error={config.error} onRetry={() => config.refetch()} />}
      {config.data && (
        <>
          <ConfigCard config={config.data} />
          <OpenAiKeyCard config={config.data} />
          <RateLimitsCard config={config.data} />
        </>
      )}
      <ApiKeyCard />
    </div>
  );
}
