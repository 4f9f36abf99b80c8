// The time zones a select offers: every IANA zone the browser knows, grouped by region.
import { h } from "./dom.js";
import { zoneLabel } from "./format.js";

const zoneOption = (zone, current) => h("option", {
  value: zone, selected: zone === current, text: `${zone.replaceAll("_", " ")} (${zoneLabel(zone)})`,
});

/** `<optgroup>`s of zones, with `current` chosen; a current zone the browser lists under another name comes first. */
export function timezoneOptions(current = null) {
  const zones = Intl.supportedValuesOf("timeZone");
  const regions = new Map();
  for (const zone of zones) {
    const region = zone.includes("/") ? zone.split("/")[0] : "Other";
    if (!regions.has(region)) regions.set(region, []);
    regions.get(region).push(zone);
  }
  const groups = [...regions].map(([region, members]) => h("optgroup", { label: region }, members.map((zone) => zoneOption(zone, current))));
  return current && !zones.includes(current) ? [zoneOption(current, current), ...groups] : groups;
}
