import { post } from "../lib/api.js";
import { $, busy, clearErrors, formValues, showErrors } from "../lib/dom.js";
import { returnPath } from "../lib/return-path.js";

const form = $("#login-form");
// Signing up on the way keeps the way back.
const signUp = document.querySelector('a[href="/register"]');
if (signUp && returnPath() !== "/") signUp.href = `/register?next=${encodeURIComponent(returnPath())}`;

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
      // Only a page of this server is followed, so a crafted link cannot send anyone elsewhere.
      location.assign(returnPath());
    } catch (error) {
      showErrors(form, error);
      form.password.select();
    }
  });
});
