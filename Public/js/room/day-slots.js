// A location's bookable day under its policy. Times of day are wall-clock minutes in the location's zone (a day is a
// day there, SPEC §3); they become instants only through `zonedInstant`, so daylight-saving days come out right.
import { lastOpenDay, minutesOf } from "../lib/calendar.js";
import { formatDayWithWeekday, formatDuration, localDate, localMinutes, zonedInstant } from "../lib/format.js";

/** The policy's bookable hours and step, in minutes. */
export function openingHours(policy) {
  return {
    open: minutesOf(policy.bookable_from),
    close: minutesOf(policy.bookable_until),
    step: policy.granularity_minutes,
  };
}

/** Every slot boundary of a day, from opening to closing time. */
export function boundaries(policy) {
  const { open, close, step } = openingHours(policy);
  const list = [];
  for (let m = open; m <= close; m += step) list.push(m);
  return list;
}

/**
 * The earliest start still bookable on `day`: opening time, or on today the start of the slot that contains now
 * (the server lets a booking begin in the running slot). Past days and days after closing give `close`.
 */
export function earliestStart(day, policy, zone, now) {
  const { open, close, step } = openingHours(policy);
  const today = localDate(now, zone);
  if (day < today) return close;
  if (day > today) return open;
  const running = Math.floor(localMinutes(now, zone) / step) * step;
  return Math.min(close, Math.max(open, running));
}

/**
 * The window a person most likely wants on `day`: from the next step after now (or opening time) for their usual
 * duration, cut at closing time. When nothing is left of the day it shows the whole bookable day.
 */
export function defaultWindow(day, policy, zone, now, durationMinutes) {
  const { open, close, step } = openingHours(policy);
  const today = localDate(now, zone);
  let from = open;
  if (day === today) from = Math.max(open, Math.ceil(localMinutes(now, zone) / step) * step);
  if (from >= close) from = open;
  const length = Math.max(step, Math.ceil(durationMinutes / step) * step);
  return { from, until: Math.min(close, from + length) };
}

/** Keeps a window on the day's grid: starts at or after `earliest`, ends after its start, both within hours. */
export function clampWindow(window, policy, earliest) {
  const { open, close, step } = openingHours(policy);
  const first = earliest < close ? earliest : open;
  const from = Math.min(close - step, Math.max(first, window.from));
  const until = Math.min(close, Math.max(from + step, window.until));
  return { from, until };
}

/** The policy limits a selection breaks, as sentences. The server has the last word; this only warns early. */
export function policyProblems({ day, from, until }, policy, zone, now) {
  const problems = [];
  const { step } = openingHours(policy);
  const start = zonedInstant(day, from, zone);
  if (start.getTime() + step * 60000 <= now.getTime()) problems.push("This time has already passed.");
  const last = lastOpenDay(policy, zone, now);
  if (day > last) problems.push(`Bookings are open up to ${formatDayWithWeekday(last)} (${policy.max_advance_days} days ahead).`);
  const minutes = until - from;
  if (minutes > policy.max_duration_minutes) {
    problems.push(`A booking lasts at most ${formatDuration(policy.max_duration_minutes)}.`);
  } else if (minutes < policy.min_duration_minutes) {
    problems.push(`A booking lasts at least ${formatDuration(policy.min_duration_minutes)}.`);
  }
  return problems;
}
