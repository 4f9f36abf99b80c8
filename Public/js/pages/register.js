import { post } from "../lib/api.js";
import { $ } from "../lib/dom.js";
import { submitting } from "../lib/forms.js";
import { returnPath } from "../lib/return-path.js";

const form = $("#register-form");
form?.addEventListener("submit", (event) => {
  event.preventDefault();
  submitting(form, async () => {
    await post("/auth/register", {
      username: form.username.value.trim(), display_name: form.display_name.value.trim(),
      email: form.email.value.trim(), password: form.password.value,
    });
    await post("/auth/login", { username: form.username.value.trim(), password: form.password.value });
    location.assign(returnPath());
  });
});
