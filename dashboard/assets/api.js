// The operator API, called with the function key the page was opened with (?code=) or typed in.
const KEY_STORE = 'gallery-guard.functionKey';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function functionKey() {
  const fromUrl = new URLSearchParams(location.search).get('code');
  if (fromUrl) sessionStorage.setItem(KEY_STORE, fromUrl);
  return sessionStorage.getItem(KEY_STORE) ?? '';
}

export function setFunctionKey(key) {
  sessionStorage.setItem(KEY_STORE, key);
}

async function call(method, route, body) {
  const headers = { accept: 'application/json' };
  const key = functionKey();
  if (key !== '') headers['x-functions-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/${route}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok && response.status !== 202) {
    throw new ApiError(response.status, json?.error ?? `${method} /api/${route} answered ${response.status}`);
  }
  return json;
}

export const api = {
  galleries: (filter = {}) => call('GET', `galleries${query(filter)}`),
  run: (ref) => call('GET', `runs/detail${query({ ref })}`),
  inflight: () => call('GET', 'inflight'),
  metrics: () => call('GET', 'metrics'),
  release: (body) => call('POST', 'versions/release', body),
  revalidate: (body) => call('POST', 'versions/revalidate', body),
};

function query(params) {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries)}`;
}
