// The one way pages talk to the server: the public JSON API, with the session cookies a browser sign-in set.
import { signInAddress } from "./return-path.js";

/** An answer of the API that was not a success, with the problem document's fields. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The server answered ${status}.`);
    this.status = status;
    this.code = problem.code || "error";
    this.problem = problem;
    /** `[{field, message}]` for a `validation_failed` answer. */
    this.fields = problem.errors || [];
  }
}

const unsafe = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)deskpilot_csrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

let refreshing = null;

/** Renews the 5-minute access cookie with the refresh cookie; concurrent callers share one renewal. */
function refreshSession() {
  refreshing ??= fetch("/api/v1/auth/refresh", {
    method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrfToken() },
  }).then((r) => r.ok).catch(() => false).finally(() => { setTimeout(() => { refreshing = null; }, 0); });
  return refreshing;
}

/** Leads to the sign-in page, with this page as the way back. */
export function goToSignIn() {
  location.assign(signInAddress());
}

/**
 * Calls `/api/v1{path}`. JSON bodies are sent as JSON, a Blob or File as itself. Resolves to the decoded answer
 * (null for 204); rejects with ApiError. A lapsed session is renewed once; a dead one leads to the sign-in page.
 */
export async function api(method, path, body, { retry = true, signal } = {}) {
  const headers = { Accept: "application/json" };
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers["Content-Type"] = body.type || "application/octet-stream";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  if (unsafe.has(method)) headers["X-CSRF-Token"] = csrfToken();
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body: payload, credentials: "same-origin", signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, { code: "offline", detail: "The server cannot be reached. Check your connection and try again." });
  }
  if (response.status === 401 && retry && !path.startsWith("/auth/")) {
    if (await refreshSession()) return api(method, path, body, { retry: false, signal });
    goToSignIn();
    throw new ApiError(401, { code: "unauthenticated", detail: "Your session has ended. Please sign in again." });
  }
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : { detail: data });
  return data;
}

export const get = (path, options) => api("GET", path, undefined, options);
export const post = (path, body, options) => api("POST", path, body, options);
export const put = (path, body, options) => api("PUT", path, body, options);
export const patch = (path, body, options) => api("PATCH", path, body, options);
export const del = (path, options) => api("DELETE", path, undefined, options);

/** Builds a query string from the defined values of `params`. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Reads every page of a cursor-paginated list (`{items, next_cursor}`), up to `limit` items. */
export async function all(path, params = {}, limit = 2000) {
  const items = [];
  let cursor;
  do {
    const page = await get(path + query({ ...params, cursor }));
    items.push(...(page.items ?? page));
    cursor = page.next_cursor;
  } while (cursor && items.length < limit);
  return items;
}
