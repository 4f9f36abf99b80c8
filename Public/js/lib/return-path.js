// Where a page sends someone back to after signing in: only ever a page of this server, whatever a link puts in
// `next`. The server applies the same rule (Sources/DeskServer/Web/ReturnPath.swift).

/** Pages that never make sense as the way back: signing in again would lead in a circle. */
const authPages = new Set(["/login", "/register"]);

/**
 * `next` as a path of this origin (path, query and fragment), or "/" when it is missing, names another origin or
 * leads back to signing in. The browser's own URL parser decides, so a `\`, tab or newline is read exactly as it
 * would be read when followed: `/\evil.example` and `/<TAB>/evil.example` resolve to another host and are refused.
 */
export function safeReturnPath(next) {
  if (typeof next !== "string" || !next.startsWith("/")) return "/";
  let url;
  try {
    url = new URL(next, location.origin);
  } catch {
    return "/";
  }
  if (url.origin !== location.origin) return "/";
  if (authPages.has(url.pathname.replace(/\/+$/, ""))) return "/";
  return url.pathname + url.search + url.hash;
}

/** The current address's `next`, made safe. */
export function returnPath() {
  return safeReturnPath(new URLSearchParams(location.search).get("next"));
}

/** The sign-in page's address that leads back to the current page. */
export function signInAddress() {
  // `//bookings` shows the bookings page, but `//bookings` as a way back would name a host: one slash, then the page.
  const here = safeReturnPath(location.pathname.replace(/^\/+/, "/") + location.search);
  return here === "/" ? "/login" : `/login?next=${encodeURIComponent(here)}`;
}
