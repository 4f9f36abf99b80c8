// Comparing ids: the API writes UUIDs in upper case, but an id typed into a page address or kept by an older
// client may be in lower case.

export const sameId = (a, b) => String(a ?? "").toUpperCase() === String(b ?? "").toUpperCase();
