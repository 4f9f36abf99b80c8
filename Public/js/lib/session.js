// What every signed-in page does first: find out who is signed in, apply their preferences and fill the top bar.
import { get, patch, post } from "./api.js";
import { $, toast, errorText } from "./dom.js";
import { setPreferences } from "./format.js";

const themes = ["auto", "light", "dark"];
const themeNames = { auto: "automatic", light: "light", dark: "dark" };

export function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  try { localStorage.setItem("deskpilot.theme", theme); } catch { /* storage may be off */ }
  const toggle = $("#theme-toggle");
  if (toggle) {
    toggle.setAttribute("aria-label", `Theme: ${themeNames[theme]}. Change theme`);
    toggle.title = `Theme: ${themeNames[theme]}`;
    toggle.dataset.theme = theme;
  }
}

/**
 * Loads the signed-in person and their preferences, applies them and wires the top bar. Resolves to
 * `{me, prefs}`: `me` as `GET /api/v1/me` gives it, with `manages` true for superusers and managers.
 */
export async function startPage() {
  const [me, prefs] = await Promise.all([get("/me"), get("/me/preferences")]);
  me.manages = me.user.is_superuser || me.managed_location_ids.length > 0 || me.managed_room_ids.length > 0;
  setPreferences(prefs);
  applyTheme(prefs.theme);
  const who = $("#who");
  if (who) who.textContent = me.user.display_name;
  for (const link of document.querySelectorAll("[data-requires=manager]")) link.hidden = !me.manages;
  for (const link of document.querySelectorAll("[data-requires=superuser]")) link.hidden = !me.user.is_superuser;

  // Clicks in quick succession cycle from the theme on screen, are saved in order, and only the last one's answer is
  // shown: one toast, naming the theme the page ends with.
  let themeClicks = 0;
  let themeSaved = Promise.resolve();
  $("#theme-toggle")?.addEventListener("click", async () => {
    const click = ++themeClicks;
    const shown = document.documentElement.dataset.theme;
    const next = themes[(themes.indexOf(themes.includes(shown) ? shown : prefs.theme) + 1) % themes.length];
    applyTheme(next);
    const saving = themeSaved.catch(() => {}).then(() => patch("/me/preferences", { theme: next }));
    themeSaved = saving;
    try {
      await saving;
      prefs.theme = next;
      if (click !== themeClicks) return;
      toast(`Theme: ${themeNames[next]}`, "info", { key: "theme" });
    } catch (error) {
      if (click !== themeClicks) return;
      applyTheme(prefs.theme);
      toast(errorText(error), "error", { key: "theme" });
    }
  });
  $("#sign-out")?.addEventListener("click", async () => {
    try { await post("/auth/logout"); } catch { /* signed out either way */ }
    location.assign("/login");
  });
  return { me, prefs };
}

/** Runs a page's `main(session)` and shows a readable message if it fails to start. */
export function runPage(main) {
  startPage().then(main).catch((error) => {
    if (error?.status === 401) return; // on its way to the sign-in page
    const box = document.getElementById("main");
    const note = document.createElement("p");
    note.className = "page-error";
    note.setAttribute("role", "alert");
    note.textContent = `This page could not load: ${errorText(error)}`;
    box?.prepend(note);
    console.error(error);
  });
}
