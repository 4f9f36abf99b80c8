// What the room's desks look like over a range: the server's availability report, kept current by live events
// between reloads. Instants are kept as milliseconds.
import { all, get, query } from "../lib/api.js";

const toMs = (text) => new Date(text).getTime();

const myBooking = (b) => ({ id: b.id, deskId: b.desk_id, deskName: b.desk_name ?? null, start: toMs(b.start), end: toMs(b.end) });

export class RoomAvailability {
  constructor(roomId) {
    this.roomId = roomId;
    this.from = 0;
    this.to = 0;
    this.underMaintenance = false;
    this.maintenanceReason = null;
    /** The room's current or scheduled maintenance period `{reason, from, until}`, or null. */
    this.maintenance = null;
    /** deskId → {status, permanent, holdExpiresAt, busy: [{bookingId, start, end, userId}]} */
    this.desks = new Map();
    this.users = new Map();
    this.myBookings = new Set();
    this.myHolds = new Set();
    this.myPermanentDesks = new Set();
    /** All my bookings in the range, in any room: the policy caps how many desks I hold at once. */
    this.myBookingList = [];
    /** Server clock minus ours, so "now" agrees with the server's hold and booking checks. */
    this.clockSkew = 0;
  }

  now() {
    return new Date(Date.now() + this.clockSkew);
  }

  /** Loads the report for [from, to), replacing what was known. */
  async load(from, to) {
    const range = { from: from.toISOString(), to: to.toISOString() };
    const [report, mine] = await Promise.all([
      get(`/rooms/${this.roomId}/availability${query(range)}`), all("/bookings", { mine: true, ...range }),
    ]);
    this.myBookingList = mine.map(myBooking);
    this.clockSkew = toMs(report.now) - Date.now();
    this.from = toMs(report.from);
    this.to = toMs(report.to);
    this.underMaintenance = report.under_maintenance;
    this.maintenanceReason = report.maintenance_reason ?? null;
    this.maintenance = report.maintenance ?? null;
    this.users = new Map(report.users.map((user) => [user.id, user]));
    this.myBookings = new Set(report.mine.booking_ids);
    this.myHolds = new Set(report.mine.held_desk_ids);
    this.myPermanentDesks = new Set(report.mine.permanent_desk_ids);
    this.desks = new Map(report.desks.map((desk) => [desk.desk_id, {
      status: desk.status,
      permanent: desk.permanent,
      holdExpiresAt: desk.hold_expires_at ? toMs(desk.hold_expires_at) : null,
      busy: desk.busy.map((b) => ({ bookingId: b.booking_id, start: toMs(b.start), end: toMs(b.end), userId: b.user_id ?? null })),
    }]));
  }

  covers(from, to) {
    return this.from <= from.getTime() && to.getTime() <= this.to;
  }

  /** Whether the room's maintenance period takes any part of [from, to). */
  maintenanceDuring(from, to) {
    const period = this.maintenance;
    if (!period) return this.underMaintenance;
    return toMs(period.from) < +to && (!period.until || toMs(period.until) > +from);
  }

  desk(deskId) {
    return this.desks.get(deskId);
  }

  /** The desk's bookings that overlap [from, to), each marked `mine`, sorted by start. */
  busyOf(deskId, from, to) {
    const start = +from, end = +to;
    return (this.desk(deskId)?.busy ?? [])
      .filter((b) => b.start < end && b.end > start)
      .map((b) => ({ ...b, mine: this.myBookings.has(b.bookingId) }))
      .sort((a, b) => a.start - b.start);
  }

  /** My bookings of other desks, in any room, that overlap [from, to). */
  myBookingsElsewhere(deskId, from, to) {
    return this.myBookingList.filter((b) => b.deskId !== deskId && b.start < +to && b.end > +from);
  }

  /** Whether someone other than me holds the desk at this moment. */
  heldByOther(deskId) {
    const desk = this.desk(deskId);
    return Boolean(desk?.holdExpiresAt && desk.holdExpiresAt > this.now().getTime() && !this.myHolds.has(deskId));
  }

  /** The booker's display name where the privacy setting shows it. */
  bookerName(userId) {
    return userId ? this.users.get(userId)?.display_name ?? null : null;
  }

  /**
   * Applies a live event of the room's topic. Returns true when the desks' picture changed. A reload follows
   * anyway; this makes the change visible at once.
   */
  apply(message) {
    switch (message.type) {
      case "booking.created": case "booking.changed": case "booking.cancelled": case "booking.released":
        return this.applyBooking(message);
      case "hold.acquired": case "hold.refreshed": case "hold.released": case "hold.expired":
        return this.applyHold(message);
      case "room.maintenance":
        this.underMaintenance = message.under_maintenance;
        this.maintenanceReason = message.reason ?? null;
        this.maintenance = message.maintenance ?? null;
        return true;
      case "desk.permanent":
        return this.update(message.desk_id, (desk) => {
          desk.permanent = message.permanent;
          if (message.permanent && message.mine) this.myPermanentDesks.add(message.desk_id);
          else this.myPermanentDesks.delete(message.desk_id);
        });
      case "desk.status":
        return this.update(message.desk_id, (desk) => { desk.status = message.status; });
      default:
        return false;
    }
  }

  applyBooking({ booking, mine }) {
    for (const desk of this.desks.values()) desk.busy = desk.busy.filter((b) => b.bookingId !== booking.id);
    this.myBookingList = this.myBookingList.filter((b) => b.id !== booking.id);
    if (mine) this.myBookings.add(booking.id);
    if (mine && booking.status === "confirmed") this.myBookingList.push(myBooking(booking));
    if (booking.user_id && booking.user) {
      this.users.set(booking.user_id, { id: booking.user_id, username: booking.user.username, display_name: booking.user.display_name });
    }
    const start = toMs(booking.start), end = toMs(booking.end);
    if (booking.status === "confirmed" && start < this.to && end > this.from) {
      this.update(booking.desk_id, (desk) => {
        desk.busy.push({ bookingId: booking.id, start, end, userId: booking.user_id ?? null });
      });
    }
    return true;
  }

  applyHold({ type, hold, mine }) {
    const held = type === "hold.acquired" || type === "hold.refreshed";
    if (held && mine) this.myHolds.add(hold.desk_id);
    else this.myHolds.delete(hold.desk_id);
    return this.update(hold.desk_id, (desk) => { desk.holdExpiresAt = held ? toMs(hold.expires_at) : null; });
  }

  update(deskId, change) {
    const desk = this.desk(deskId);
    if (!desk) return false;
    change(desk);
    return true;
  }
}
