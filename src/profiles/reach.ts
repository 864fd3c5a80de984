/**
 * How far a local offer reaches: its radius (with slack for commune coordinates) or, without one,
 * LOCAL_DEFAULT_REACH_KM, doubled for a structure whose texts name the offer's commune. Profiles
 * use it for bounding boxes, the geography feature and the area filters for each pair.
 */

/** Distance beyond which a local offer with no radius is out of reach. */
export const LOCAL_DEFAULT_REACH_KM = 60;
/** Slack on a radius, for the imprecision of commune coordinates. */
export const RADIUS_SLACK_KM = 2;

export function localReachKm(radiusKm: number | undefined, namesCommune: boolean): number {
  if (radiusKm !== undefined) return radiusKm + RADIUS_SLACK_KM;
  return namesCommune ? 2 * LOCAL_DEFAULT_REACH_KM : LOCAL_DEFAULT_REACH_KM;
}
