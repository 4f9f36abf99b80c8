// Settings: how times and pages are shown and the booking defaults (GET/PATCH /me/preferences), personal
// access tokens (GET/POST/DELETE /me/tokens), and notification channels and webhooks (notifications/).
import { del, get, patch, post, put } from "../lib/api.js";
import { copyField } from "../lib/clipboard.js";
import { confirm } from "../lib/dialog.js";
import { $, $$, errorText, fill, h, showErrors, toast } from "../lib/dom.js";
import { deviceZone, formatDateTime, formatDuration, formatTime, ownZone, setPreferences, today, zoneText } from "../lib/format.js";
import { submitting } from "../lib/forms.js";
import { applyTheme, runPage } from "../lib/session.js";
import { timezoneOptions } from "../lib/timezones.js";
import { setUpNotificationSections } from "../notifications/settings-sections.js";

runPage(async ({ me, prefs }) => {
  setUpPassword(me);
  await Promise.all([setUpPreferences(prefs), setUpTokens(), setUpNotificationSections(me)]);
});

// MARK: preferences

async function setUpPreferences(prefs) {
  const form = $("#preferences-form");
  const locations = await get("/locations");
  $("#pref-timezone-device").textContent = `This device's time zone (${deviceZone().replaceAll("_", " ")})`;
  form.elements.timezone.append(...timezoneOptions(prefs.timezone));
  form.elements.default_location_id.append(...locations.map((place) => h("option", { value: place.id, text: place.name })));
  showDateExamples(form.elements.date_format);
  showPreferences(form, prefs);
  showOwnZone();
  form.removeAttribute("aria-busy");

  // The theme is previewed at once; the top bar's theme button changes it too, so the select follows the page.
  form.elements.theme.addEventListener("change", () => applyTheme(form.elements.theme.value));
  new MutationObserver(() => { form.elements.theme.value = document.documentElement.dataset.theme; })
    .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });

  const duration = form.elements.default_duration_minutes;
  duration.addEventListener("input", () => showDurationText(duration));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    savePreferences(form, prefs);
  });
}

function showPreferences(form, prefs) {
  for (const name of ["theme", "date_format", "time_format", "default_duration_minutes"]) form.elements[name].value = prefs[name];
  form.elements.timezone.value = prefs.timezone ?? "";
  form.elements.default_location_id.value = prefs.default_location_id ?? "";
  showDurationText(form.elements.default_duration_minutes);
}

/** "Your own zone: Tokyo time (JST), now 22:15." in the person's formats. */
function showOwnZone() {
  const now = new Date();
  $("#times-now").textContent = `Your own zone: ${zoneText(ownZone(), now)}, now ${formatTime(now, ownZone())}.`;
}

/** Adds today's date in each format to its option, so the choice is easy to read. */
function showDateExamples(select) {
  const [y, m, d] = today(ownZone()).split("-");
  for (const option of select.options) {
    const example = option.value.replace("YYYY", y).replace("MM", m).replace("DD", d);
    option.textContent = `${option.value} (${example})`;
  }
}

function showDurationText(input) {
  const minutes = Number(input.value);
  $("#pref-duration-text").textContent = Number.isInteger(minutes) && minutes > 0 ? `That is ${formatDuration(minutes)}.` : "";
}

async function savePreferences(form, prefs) {
  const minutes = Number(form.elements.default_duration_minutes.value);
  if (!form.elements.default_duration_minutes.value || !Number.isInteger(minutes)) {
    showErrors(form, { fields: [{ field: "default_duration_minutes", message: "Enter a whole number of minutes." }] });
    return;
  }
  const values = {
    theme: form.elements.theme.value,
    timezone: form.elements.timezone.value || null,
    date_format: form.elements.date_format.value,
    time_format: form.elements.time_format.value,
    default_location_id: form.elements.default_location_id.value || null,
    default_duration_minutes: minutes,
  };
  await submitting(form, async () => {
    const saved = await patch("/me/preferences", values);
    Object.assign(prefs, saved); // the top bar's theme button cycles from the saved theme
    setPreferences(saved);
    applyTheme(saved.theme);
    showPreferences(form, saved);
    showOwnZone();
    renderTokens(); // their times follow the new zone and formats
    toast("Preferences saved.");
  });
}

// MARK: access tokens

let tokens = [];

/** Changing the password keeps this browser signed in: the answer renews its session cookies. */
function setUpPassword(me) {
  const form = $("#password-form");
  form.username.value = me.user.username; // lets password managers file the new password under the right account
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const missing = [
      ["current_password", "Enter your current password."], ["new_password", "Enter a new password."],
      ["confirm_password", "Enter the new password again."],
    ].filter(([name]) => form[name].value === "").map(([field, message]) => ({ field, message }));
    if (missing.length) return showErrors(form, { fields: missing });
    // A typo in a password nobody can see would lock the person out: both entries must match before anything is sent.
    if (form.confirm_password.value !== form.new_password.value) {
      return showErrors(form, { fields: [{ field: "confirm_password", message: "This does not match the new password." }] });
    }
    await submitting(form, async () => {
      await put("/me/password", { current_password: form.current_password.value, new_password: form.new_password.value });
      form.reset();
      form.username.value = me.user.username;
      toast("Password changed. Other browsers and devices are signed out.");
    });
  });
}

async function setUpTokens() {
  const form = $("#token-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    createToken(form);
  });
  $("#token-copy").addEventListener("click", () => copyField($("#token-secret-value")));
  $("#token-secret-done").addEventListener("click", hideSecret);
  try {
    tokens = await get("/me/tokens");
    renderTokens();
  } catch (error) {
    fill($("#tokens-list tbody"), h("tr", {}, h("td", { colspan: "5", class: "form-error", text: errorText(error) })));
  } finally {
    $("#tokens-list").removeAttribute("aria-busy");
  }
}

/** Token times belong to no place: they are in the person's own zone. */
function renderTokens() {
  const zone = ownZone();
  $("#tokens-zone").textContent = tokens.length ? `Times in your own zone, ${zoneText(zone)}.` : "";
  fill($("#tokens-list tbody"), tokens.length === 0
    ? h("tr", {}, h("td", { colspan: "5", class: "empty", text: "No tokens yet." }))
    : tokens.map((token) => h("tr", { dataset: { tokenId: token.id } },
      h("th", { scope: "row", id: `token-${token.id}`, class: "token-name", text: token.name }),
      h("td", { text: token.scopes.join(", ") }),
      h("td", { text: formatDateTime(token.created_at, zone) }),
      h("td", { text: token.last_used_at ? formatDateTime(token.last_used_at, zone) : "Never" }),
      h("td", { class: "token-actions" }, h("button", {
        type: "button", class: "button small danger", text: "Revoke", "aria-describedby": `token-${token.id}`,
        dataset: { action: "revoke" }, onClick: () => askToRevoke(token),
      })))));
}

async function createToken(form) {
  const name = form.elements.name.value.trim();
  const scopes = $$("input[name=scopes]:checked", form).map((box) => box.value);
  const problems = [
    !name && { field: "name", message: "Give the token a name." },
    scopes.length === 0 && { field: "scopes", message: "Choose at least one scope." },
  ].filter(Boolean);
  if (problems.length) {
    showErrors(form, { fields: problems });
    return;
  }
  await submitting(form, async () => {
    const created = await post("/me/tokens", { name, scopes });
    tokens.push(created);
    renderTokens();
    form.reset();
    showSecret(created);
    toast(`Token “${created.name}” created.`);
  });
}

function showSecret(token) {
  $("#token-secret-label").textContent = `Token “${token.name}”`;
  $("#token-secret-value").value = token.token;
  $("#token-secret").hidden = false;
  $("#token-secret-value").focus();
  $("#token-secret-value").select();
}

/** The secret leaves the page once it has been copied: it cannot be shown again anyway. */
function hideSecret() {
  $("#token-secret-value").value = "";
  $("#token-secret").hidden = true;
  $("#token-name").focus();
}

async function askToRevoke(token) {
  const sure = await confirm({
    title: "Revoke this token?", confirmLabel: "Revoke token", cancelLabel: "Keep it", danger: true,
    message: `“${token.name}” (${token.scopes.join(", ")}) stops working at once: anything that uses it is signed out.`,
    ids: { dialog: "revoke-dialog", confirm: "revoke-confirm" },
  });
  if (sure) revokeToken(token);
}

async function revokeToken(token) {
  try {
    await del(`/me/tokens/${token.id}`);
    const index = tokens.findIndex((t) => t.id === token.id);
    tokens = tokens.filter((t) => t.id !== token.id);
    renderTokens();
    const neighbour = tokens[index] ?? tokens[index - 1];
    (neighbour ? $(`tr[data-token-id="${neighbour.id}"] [data-action=revoke]`) : $("#token-name")).focus();
    toast(`Token “${token.name}” revoked.`);
  } catch (error) {
    toast(errorText(error), "error");
    $(`tr[data-token-id="${token.id}"] [data-action=revoke]`)?.focus();
  }
}
