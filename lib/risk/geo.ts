// Offline data (~6 MB, ~0.7 s to decode), never a network lookup: loaded once, lazily, on the server only.

export interface GeoPoint {
  lat: number;
  lon: number;
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

export function normalizeCityName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const RAD = Math.PI / 180;

// Country centres average unit vectors, so a country across the antimeridian still gets a centre on land.
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

export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
