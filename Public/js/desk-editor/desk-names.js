// Names for new desks that continue the room's own numbering, so "Add desk" rarely needs renaming.

const numbered = /^(.*?)(\d+)$/;

/**
 * The next free name after the room's highest numbered desk ("E1-12" → "E1-13", zero padding kept), or
 * "Desk 1", "Desk 2"… in a room without numbered desks.
 */
export function suggestDeskName(names) {
  const taken = new Set(names.map((name) => name.toLowerCase()));
  let prefix = "Desk ", width = 1, number = 0;
  for (const name of names) {
    const match = name.match(numbered);
    if (match && Number(match[2]) >= number) [prefix, width, number] = [match[1], match[2].length, Number(match[2])];
  }
  let candidate;
  do {
    number += 1;
    candidate = `${prefix}${String(number).padStart(width, "0")}`;
  } while (taken.has(candidate.toLowerCase()));
  return candidate;
}

/** "Desk A1" for a desk named "A1", but not "Desk Desk 1". */
export function deskTitle(name) {
  return /^desk\b/i.test(name) ? name : `Desk ${name}`;
}
