// Thin client for the priors JSON API: token handling, JSON calls with one-line errors, and SSE over fetch.

const TOKEN_KEY = 'priors.token';

/** A `#token=…` fragment (as printed by a helper or bookmarked) is moved into session storage and out of the URL. */
export function adoptTokenFromHash() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Listeners for 401s, so the page can ask for the token wherever the call came from. */
const unauthorized = new Set();
export function onUnauthorized(fn) {
  unauthorized.add(fn);
}

async function failure(res) {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = await res.json();
    if (body && typeof body.error === 'string') message = body.error;
  } catch {
    // Not JSON: keep the status line.
  }
  if (res.status === 401) for (const fn of unauthorized) fn(message);
  return new ApiError(res.status, message);
}

/** Query string from an object: arrays repeat the key, empty values are left out. */
export function toQuery(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) q.append(key, String(v));
    else q.append(key, String(value));
  }
  return q.toString();
}

export async function getJson(path, params = {}, signal) {
  const qs = toQuery(params);
  const res = await fetch(qs ? `${path}?${qs}` : path, { headers: headers(), signal });
  if (!res.ok) throw await failure(res);
  return res.json();
}

export async function postJson(path, body, signal) {
  const res = await fetch(path, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw await failure(res);
  return res.json();
}

/**
 * POST and read a Server-Sent Events answer, calling `onEvent(name, data)` per event.
 * (EventSource can't POST or send headers, so the stream is parsed here.)
 */
export async function postStream(path, body, onEvent, signal) {
  const res = await fetch(path, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(event, JSON.parse(data.join('\n')));
    }
  }
}
