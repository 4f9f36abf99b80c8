import { post } from "../lib/api.js";
import { $, busy, clearErrors, formValues, showErrors } from "../lib/dom.js";

/** Only same-site paths are followed after signing in, so a crafted link cannot send anyone elsewhere. */
function nextPath() {
  const next = new URLSearchParams(location.search).get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/";
}

const form = $("#login-form");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const values = formValues(form);
  if (!values.username || !form.password.value) {
    showErrors(form, { fields: [
      ...(!values.username ? [{ field: "username", message: "Enter your username." }] : []),
      ...(!form.password.value ? [{ field: "password", message: "Enter your password." }] : []),
    ] });
    return;
  }
  await busy(form.querySelector("button[type=submit]"), async () => {
    try {
      await post("/auth/login", { username: values.username, password: form.password.value });
      location.assign(nextPath());
    } catch (error) {
      showErrors(form, error);
      form.password.select();
    }
  });
});
