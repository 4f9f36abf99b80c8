import { post } from "../lib/api.js";
import { $, busy, clearErrors, showErrors } from "../lib/dom.js";

const form = $("#register-form");
form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  await busy(form.querySelector("button[type=submit]"), async () => {
    try {
      await post("/auth/register", {
        username: form.username.value.trim(), display_name: form.display_name.value.trim(),
        email: form.email.value.trim(), password: form.password.value,
      });
      await post("/auth/login", { username: form.username.value.trim(), password: form.password.value });
      location.assign("/");
    } catch (error) {
      showErrors(form, error);
    }
  });
});
