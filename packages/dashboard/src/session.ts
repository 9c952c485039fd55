/**
 * What the page knows once it has a client: who the key is (viewer), the campaigns and the
 * places it may pick (a CITY key: its cities; a PROVINCE key: its province and cities).
 */
import type { AirledgerClient, CitiesQuery, ProvincesQuery, RegionsQuery, ViewerQuery, CampaignsQuery, PlaceFilter, ScorecardLevel } from '@airledger/sdk';

export type Viewer = ViewerQuery['viewer'];
export type Campaign = CampaignsQuery['campaigns']['nodes'][number];
export type Region = RegionsQuery['regions']['nodes'][number];
export type Province = ProvincesQuery['provinces']['nodes'][number];
export type City = CitiesQuery['cities']['nodes'][number];
export type Level = `${ScorecardLevel}`;

export interface Place {
  level: Level;
  key: string;
  nameZh: string;
  nameEn: string;
}

export interface Session {
  client: AirledgerClient;
  viewer: Viewer;
  campaigns: Campaign[];
  regions: Region[];
  provinces: Province[];
  cities: City[];
  /** Places offered: every region, province and city the key may see. */
  places: Place[];
  /** The place shown first. */
  home: Place;
  /** Whether the ledger holds generated demo data. */
  demo: { seed: number; generatedAt: string } | null;
}

export async function loadSession(client: AirledgerClient): Promise<Session> {
  const [{ viewer }, { campaigns }, { regions }, { provinces }, { cities }, { demoDataset }] = await Promise.all([
    client.viewer(),
    client.campaigns({ first: 50 }),
    client.regions({ first: 50 }),
    client.provinces({ first: 50 }),
    client.cities({ first: 100 }),
    client.demoDataset(),
  ]);
  const allowed = viewer.cities ? new Set(viewer.cities.map((c) => c.slug)) : null;
  const places: Place[] = [];
  if (!allowed) for (const r of regions.nodes) places.push({ level: 'REGION', key: r.code, nameZh: r.nameZh, nameEn: r.nameEn });
  for (const p of provinces.nodes) {
    const own = cities.nodes.filter((c) => c.province.slug === p.slug);
    if (!allowed || (own.length > 0 && own.every((c) => allowed.has(c.slug)))) places.push({ level: 'PROVINCE', key: p.slug, nameZh: p.nameZh, nameEn: p.nameEn });
  }
  for (const c of cities.nodes) if (!allowed || allowed.has(c.slug)) places.push({ level: 'CITY', key: c.slug, nameZh: c.nameZh, nameEn: c.nameEn });
  const home =
    (viewer.city && places.find((p) => p.level === 'CITY' && p.key === viewer.city!.slug)) ||
    (viewer.province && places.find((p) => p.level === 'PROVINCE' && p.key === viewer.province!.slug)) ||
    places.find((p) => p.level === 'PROVINCE') ||
    places[0];
  return {
    client,
    viewer,
    campaigns: campaigns.nodes,
    regions: regions.nodes,
    provinces: provinces.nodes,
    cities: cities.nodes,
    places,
    home,
    demo: demoDataset ? { seed: demoDataset.seed, generatedAt: String(demoDataset.generatedAt) } : null,
  };
}

/** The PlaceFilter of a place. */
export function placeFilter(place: Place): PlaceFilter {
  if (place.level === 'REGION') return { region: place.key as PlaceFilter['region'] };
  if (place.level === 'PROVINCE') return { province: place.key };
  return { city: place.key };
}

/** The filter of everything the key may see (null: everything). */
export function scopeFilter(s: Session): { province?: string; city?: string } | null {
  if (!s.viewer.cities) return null;
  if (s.viewer.city) return { city: s.viewer.city.slug };
  if (s.viewer.province) return { province: s.viewer.province.slug };
  return null;
}

export const placeValue = (p: Place) => `${p.level}:${p.key}`;

export const LEVEL_NAMES: Record<Level, [string, string]> = { REGION: ['区域', 'Regions'], PROVINCE: ['省份', 'Provinces'], CITY: ['城市', 'Cities'] };
