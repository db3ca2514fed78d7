import type { SessionDto } from '@/lib/clerk/dto';
import { UpstreamText } from '@/components/ui/upstream-text';
import { countryName } from '@/lib/risk/countries';
import { DetailList } from './detail-list';

/** The session's latest activity as Clerk recorded it; every value is upstream text (hostile-safe). */
export function LatestActivity({ activity }: { activity: SessionDto['latestActivity'] }) {
  if (!activity) {
    return (
      <p className="text-sm text-gray-600 dark:text-gray-400">
        Clerk has recorded no activity for this session.
      </p>
    );
  }
  const browser = [activity.browserName, activity.browserVersion].filter(Boolean).join(' ');
  return (
    <DetailList
      items={[
        { label: 'Device', value: <UpstreamText value={activity.deviceType} /> },
        { label: 'Browser', value: <UpstreamText value={browser} /> },
        { label: 'Mobile', value: activity.isMobile ? 'Yes' : 'No' },
        {
          label: 'IP address',
          value: <UpstreamText value={activity.ipAddress} className="font-mono text-xs" />,
        },
        { label: 'City', value: <UpstreamText value={activity.city} /> },
        {
          label: 'Country',
          value: (
            <UpstreamText
              value={
                activity.country && countryName(activity.country) !== activity.country
                  ? `${countryName(activity.country)} (${activity.country})`
                  : activity.country
              }
            />
          ),
        },
      ]}
    />
  );
}
