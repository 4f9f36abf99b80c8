// Answers that do not change while a page is open (places, people, desks), read once and shared by every part of
// the page that needs them.
import { get } from "./api.js";

const answers = new Map();

/** `GET path`, sent once per page; a failed read is forgotten so that a later call tries again. */
export function getOnce(path) {
  if (!answers.has(path)) answers.set(path, get(path).catch((error) => { answers.delete(path); throw error; }));
  return answers.get(path);
}

/** Keeps an answer obtained another way (a search result, a created object) for later `getOnce(path)` calls. */
export function remember(path, value) {
  answers.set(path, Promise.resolve(value));
}
