// Words for the records of the API: dates, actors, claims, merge reasons (as `polemos show` prints them).

/** "2017-09-13", "2017-09-13 … 2017-09-20", "by 2017-09-20" or "undated"; with the precision when not a day. */
export function when(date) {
  if (!date) return 'undated';
  const { start, end, precision } = date;
  let text;
  if (start && end && end !== start) text = `${start} … ${end}`;
  else if (start) text = start;
  else if (end) text = `by ${end}`;
  else return 'undated';
  return precision && precision !== 'day' ? `${text} (${precision})` : text;
}

/** The event's day for sorting and the timeline: start, else end. */
export function day(date) {
  return (date && (date.start || date.end)) || null;
}

export function actorNames(actors) {
  return (actors || []).map((actor) => actor.name).join(', ');
}

/** "Russia → Syrian Democratic Forces, coalition partners" (— for a side with nobody). */
export function who(event) {
  return `${actorNames(event.source) || '—'} → ${actorNames(event.target) || '—'}`;
}

export function place(event) {
  const location = event.location;
  if (location && location.name) return location.country ? `${location.name}, ${location.country}` : location.name;
  return event.country || 'place unknown';
}

/** Who makes the claim: "Pentagon (“accused”)", "the outlet". */
export function speaker(claim) {
  const name = claim.speaker || (claim.speaker_kind === 'outlet' ? 'the outlet' : claim.speaker_kind || 'someone');
  return `${name}${claim.cue ? ` (“${claim.cue}”)` : ''}`;
}

/** "alleged by Pentagon (“accused”)", "asserted by the outlet". */
export function claimWords(claim) {
  return claim ? `${claim.status} by ${speaker(claim)}` : 'no claim';
}

/** A merge reason in words, as `polemos show` gives it. `names`: actor id → name. */
export function mergeWords(reason, names) {
  if (!reason) return 'not merged yet';
  if (!reason.merged) return reason.why || 'first report';
  const shared = (reason.shared_actors || []).map((key) =>
    key.startsWith('actor:') ? names.get(Number(key.slice(6))) || key : `the state ${key.slice(6)}`,
  );
  const parts = [`joined event ${reason.event}: same type ${reason.type}`];
  if (shared.length) parts.push(`shared actors ${shared.join(', ')} (${(reason.roles || []).join(', ')})`);
  else parts.push('no named actor on one side; same place and day');
  if (reason.distance_km !== null && reason.distance_km !== undefined) parts.push(`${reason.distance_km} km apart`);
  parts.push(reason.days_apart ? `${reason.days_apart} day(s) apart` : 'same dates');
  return parts.join('; ');
}

export const LINK_WORDS = { denies: 'denies', other_perpetrator: 'names another perpetrator than' };
