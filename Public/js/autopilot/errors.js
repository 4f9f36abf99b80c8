// API errors made ready for `showErrors`: repeated field messages once, and a body the server could not read
// (such as a time window that ends before it starts) pinned to the field it names.

/** The error to show for `error`, as `showErrors(form, …)` takes it. */
export function formError(error) {
  if (error?.code === "invalid_body") {
    const match = /^Field ([a-z_]+)[\w.[\]]* is invalid: (.+)$/.exec(error.message);
    if (match) return { fields: [{ field: match[1], message: match[2] }] };
  }
  if (!error?.fields?.length) return error;
  const byText = new Map(error.fields.map((fieldError) => [`${fieldError.field}\n${fieldError.message}`, fieldError]));
  return { fields: [...byText.values()] };
}
