// The REST API of the same server (/api/...). Only relative URLs: the page talks to nothing else.

export class ApiError extends Error {}

/** GET /api/<path>?<params> as JSON; empty and null params are left out; arrays repeat the key. */
export async function getJSON(path, params = {}, { signal } = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
  }
  const url = `/api/${path}${query.size ? `?${query}` : ''}`;
  const response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) throw new ApiError(`${path}: ${await errorMessage(response)}`);
  return response.json();
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    if (typeof body.message === 'string') return body.message;
    const detail = body.detail ?? body;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) return detail.map((item) => `${(item.loc || []).slice(1).join('.')}: ${item.msg}`).join('; ');
    return JSON.stringify(detail);
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

/** Every event matching `filters`, page after page, at most `cap`: {events, truncated}. */
export async function allEvents(filters, { cap = 5000, pageSize = 1000, signal } = {}) {
  const events = [];
  let offset = 0;
  while (offset !== null && events.length < cap) {
    const page = await getJSON('events', { ...filters, limit: pageSize, offset }, { signal });
    events.push(...page.events);
    offset = page.next_offset ?? null;
  }
  return { events: events.slice(0, cap), truncated: offset !== null };
}
