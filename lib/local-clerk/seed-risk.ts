// Ordinary users' trips are kept only a day or more from their other activity, so none needs over ~830 km/h.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const RISK_FIXTURES = {
  impossibleTravel: 'helene.huet@example.com',
  newCountry: 'tomas.ferreira@example.com',
  severalCountries: 'priya.raman@example.com',
  newDevice: 'kenji.watanabe@example.com',
  impersonated: 'ines.duarte@example.com',
  stale: 'olga.petrova@example.com',
  train: 'lukas.becker@example.com',
  flight: 'claire.martin@example.com',
  oneCity: 'sam.lee@example.com',
} as const;

export interface PlantedPlace {
  city: string;
  country: string;
}

export interface PlantedSession {
  status: 'active' | 'ended' | 'expired' | 'revoked';
  createdAgo: number;
  lastActiveAgo: number;
  place: PlantedPlace;
  device: string;
  actor?: 'staff';
  lifetime?: number;
}

export interface PlantedUser {
  first: string;
  last: string;
  email: string;
  country: string;
  sessions: PlantedSession[];
}

const villejuif = { city: 'Villejuif', country: 'FR' };
const paris = { city: 'Paris', country: 'FR' };
const newYork = { city: 'New York City', country: 'US' };
const lisbon = { city: 'Lisbon', country: 'PT' };
const madrid = { city: 'Madrid', country: 'ES' };
const bengaluru = { city: 'Bengaluru', country: 'IN' };
const dubai = { city: 'Dubai', country: 'AE' };
const osaka = { city: 'Osaka', country: 'JP' };
const porto = { city: 'Porto', country: 'PT' };
const warsaw = { city: 'Warsaw', country: 'PL' };
const hamburg = { city: 'Hamburg', country: 'DE' };
const munich = { city: 'Munich', country: 'DE' };
const toronto = { city: 'Toronto', country: 'CA' };

const s = (
  status: PlantedSession['status'],
  createdAgo: number,
  lastActiveAgo: number,
  place: PlantedPlace,
  device: string,
  extra: Partial<PlantedSession> = {},
): PlantedSession => ({ status, createdAgo, lastActiveAgo, place, device, ...extra });

export const PLANTED_USERS: readonly PlantedUser[] = [
  {
    first: 'Hélène',
    last: 'Huet',
    email: RISK_FIXTURES.impossibleTravel,
    country: 'FR',
    sessions: [
      s('expired', 20 * DAY, 16 * DAY, villejuif, 'Macintosh/Chrome'),
      s('expired', 19 * DAY, 15 * DAY, villejuif, 'iPhone/Safari'),
      s('active', 5 * DAY, 2 * HOUR, villejuif, 'Macintosh/Chrome'),
      s('active', 4 * DAY, 5 * HOUR, villejuif, 'iPhone/Safari'),
      s('active', 3 * DAY, 9 * HOUR, villejuif, 'Macintosh/Chrome'),
      s('active', 2 * DAY, 13 * HOUR + 40 * MIN, villejuif, 'iPhone/Safari'),
      s('active', 36 * HOUR, 20 * HOUR, villejuif, 'Macintosh/Chrome'),
      s('active', 14 * HOUR, 13 * HOUR, { city: 'Neubrandenburg', country: 'DE' }, 'Macintosh/Chrome'),
    ],
  },
  {
    first: 'Tomás',
    last: 'Ferreira',
    email: RISK_FIXTURES.newCountry,
    country: 'PT',
    sessions: [
      s('expired', 40 * DAY, 35 * DAY, lisbon, 'Windows/Chrome'),
      s('ended', 12 * DAY, 10 * DAY, lisbon, 'Windows/Chrome'),
      s('active', 2 * DAY, 3 * HOUR, madrid, 'Windows/Chrome'),
    ],
  },
  {
    first: 'Priya',
    last: 'Raman',
    email: RISK_FIXTURES.severalCountries,
    country: 'IN',
    sessions: [
      s('expired', 60 * DAY, 58 * DAY, dubai, 'Android/Chrome'),
      s('ended', 20 * DAY, 19 * DAY, bengaluru, 'Android/Chrome'),
      s('active', 3 * DAY, 1 * HOUR, bengaluru, 'Android/Chrome'),
      s('active', 2 * DAY, 7 * HOUR, dubai, 'Android/Chrome'),
    ],
  },
  {
    first: 'Kenji',
    last: 'Watanabe',
    email: RISK_FIXTURES.newDevice,
    country: 'JP',
    sessions: [
      s('expired', 30 * DAY, 26 * DAY, osaka, 'Macintosh/Safari'),
      s('expired', 29 * DAY, 25 * DAY, osaka, 'iPhone/Safari'),
      s('active', 5 * DAY, 6 * HOUR, osaka, 'iPhone/Safari'),
      s('active', 4 * HOUR, 30 * MIN, osaka, 'Windows/Edge'),
    ],
  },
  {
    first: 'Inês',
    last: 'Duarte',
    email: RISK_FIXTURES.impersonated,
    country: 'PT',
    sessions: [
      s('ended', 15 * DAY, 14 * DAY, porto, 'Macintosh/Firefox'),
      s('active', 3 * DAY, 4 * HOUR, porto, 'Macintosh/Firefox'),
      s('active', 2 * HOUR, 20 * MIN, porto, 'Macintosh/Firefox', { actor: 'staff' }),
    ],
  },
  {
    first: 'Olga',
    last: 'Petrova',
    email: RISK_FIXTURES.stale,
    country: 'PL',
    sessions: [
      s('active', 50 * DAY, 45 * DAY, warsaw, 'Linux/Firefox', { lifetime: 90 * DAY }),
      s('active', 3 * DAY, 2 * HOUR, warsaw, 'Linux/Firefox'),
    ],
  },
  {
    first: 'Lukas',
    last: 'Becker',
    email: RISK_FIXTURES.train,
    country: 'DE',
    sessions: [
      s('ended', 10 * DAY, 9 * DAY, hamburg, 'Android/Chrome'),
      s('active', 2 * DAY, 6 * HOUR, hamburg, 'Android/Chrome'),
      s('active', 5 * HOUR, 1 * HOUR, munich, 'Android/Chrome'),
    ],
  },
  {
    first: 'Claire',
    last: 'Martin',
    email: RISK_FIXTURES.flight,
    country: 'FR',
    sessions: [
      s('expired', 50 * DAY, 45 * DAY, newYork, 'Macintosh/Safari'),
      s('ended', 3 * DAY, 10 * HOUR, paris, 'Macintosh/Safari'),
      s('active', 2 * HOUR, 1 * HOUR, newYork, 'Macintosh/Safari'),
    ],
  },
  {
    first: 'Sam',
    last: 'Lee',
    email: RISK_FIXTURES.oneCity,
    country: 'CA',
    sessions: [
      s('expired', 25 * DAY, 20 * DAY, toronto, 'Macintosh/Chrome'),
      s('expired', 24 * DAY, 19 * DAY, toronto, 'iPhone/Safari'),
      s('active', 2 * DAY, 12 * MIN, toronto, 'Macintosh/Chrome'),
      s('active', 1 * DAY, 9 * MIN, toronto, 'iPhone/Safari'),
    ],
  },
];
