import Foundation

/// How one person reads dates and times: their chosen zone (nil when they chose none), date order and clock.
public struct ReadingFormat: Sendable, Equatable {
    public enum DateOrder: String, Sendable, CaseIterable {
        case iso = "YYYY-MM-DD", european = "DD.MM.YYYY", british = "DD/MM/YYYY", american = "MM/DD/YYYY"
    }

    public let timeZone: TimeZone?
    public let dateOrder: DateOrder
    public let twelveHour: Bool

    /// A person who chose nothing: ISO dates, a 24-hour clock, each place's own zone.
    public static let standard = ReadingFormat(timeZone: nil, dateOrder: .iso, twelveHour: false)

    public init(timeZone: TimeZone?, dateOrder: DateOrder, twelveHour: Bool) {
        self.timeZone = timeZone
        self.dateOrder = dateOrder
        self.twelveHour = twelveHour
    }

    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// "Tue 15.12.2026", in the person's date order.
    public func day(_ date: LocalDate) -> String {
        let (y, m, d) = (String(format: "%04d", date.year), String(format: "%02d", date.month), String(format: "%02d", date.day))
        let text = switch dateOrder {
        case .iso: "\(y)-\(m)-\(d)"
        case .european: "\(d).\(m).\(y)"
        case .british: "\(d)/\(m)/\(y)"
        case .american: "\(m)/\(d)/\(y)"
        }
        return "\(Self.weekdays[date.isoWeekday - 1]) \(text)"
    }

    /// "09:00" or "9:00 AM".
    public func clock(_ time: LocalTime) -> String {
        let hour = time.minutes / 60 % 24, minute = time.minutes % 60
        guard twelveHour else { return String(format: "%02d:%02d", hour, minute) }
        return String(format: "%d:%02d %@", hour % 12 == 0 ? 12 : hour % 12, minute, hour < 12 ? "AM" : "PM")
    }

    /// "Berlin time" for `Europe/Berlin`, "UTC" for UTC.
    public static func zoneName(_ zone: TimeZone) -> String {
        let id = zone.identifier
        if ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Z"].contains(id) { return "UTC" }
        let city = id.split(separator: "/").last.map(String.init) ?? id
        return "\(city.replacingOccurrences(of: "_", with: " ")) time"
    }
}

/// The texts a room's maintenance puts in front of the people whose bookings it affects. A booking's times are the
/// place's times (SPEC §3): shown in the location's zone, named unless the reader chose that zone, and repeated in
/// the reader's own zone when its clock differs, so a traveller reads both.
public struct MaintenanceNotice: Sendable {
    /// One affected booking: its desk and times.
    public struct Booking: Sendable, Equatable {
        public let deskName: String
        public let range: TimeRange

        public init(deskName: String, range: TimeRange) {
            self.deskName = deskName
            self.range = range
        }
    }

    public let roomName: String
    public let period: MaintenancePeriod
    /// The location's zone.
    public let placeZone: TimeZone

    public init(roomName: String, period: MaintenancePeriod, placeZone: TimeZone) {
        self.roomName = roomName
        self.period = period
        self.placeZone = placeZone
    }

    /// What a cancelled booking shows as its reason: "Room 2.01 is under maintenance: new carpet".
    public var cancelReason: String { "\(roomName) is under maintenance: \(period.reason)" }

    /// The notice to one owner about their affected bookings (at least one), cancelled or kept.
    public func message(for bookings: [Booking], cancelled: Bool, format: ReadingFormat) -> String {
        let sorted = bookings.sorted { $0.range.start < $1.range.start }
        let list = Self.joined(sorted.map { "desk \($0.deskName) on \(slot($0.range, format: format))" })
        let subject = "Your \(sorted.count == 1 ? "booking" : "bookings") of \(list)"
        let maintenance = "\(roomName) is under maintenance \(span(format: format)): \(period.reason)"
        if cancelled {
            return "\(subject) \(sorted.count == 1 ? "was" : "were") cancelled: \(maintenance)."
        }
        return "\(subject) \(sorted.count == 1 ? "stays" : "stay") booked, but \(maintenance)."
    }

    /// "Tue 15.12.2026, 09:00–17:00 (Berlin time; 03:00–11:00 New York time)": the place's times, its zone named
    /// unless the reader chose it, and the reader's own times when their clock differs.
    func slot(_ range: TimeRange, format: ReadingFormat) -> String {
        format.slot(range, placeZone: placeZone)
    }

    /// "from Mon 14.12.2026 07:00 until Fri 18.12.2026 18:00 (Berlin time)", or "… until further notice".
    func span(format: ReadingFormat) -> String {
        let place = ZonedCalendar(timeZone: placeZone)
        func moment(_ instant: Date) -> String { "\(format.day(place.date(of: instant))) \(format.clock(place.clockTime(of: instant)))" }
        let label = zoneLabel(for: format).map { " (\($0))" } ?? ""
        guard let until = period.until else { return "from \(moment(period.from))\(label) until further notice" }
        return "from \(moment(period.from)) until \(moment(until))\(label)"
    }

    private func zoneLabel(for format: ReadingFormat) -> String? {
        format.zoneLabel(for: placeZone)
    }

    /// "a", "a and b", "a, b and c".
    private static func joined(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

extension ReadingFormat {
    /// "Tue 15.12.2026, 09:00–17:00 (Berlin time; 03:00–11:00 New York time)": a booking's times at its place, the
    /// place's zone named unless the reader chose it, and the reader's own times when their clock differs.
    public func slot(_ range: TimeRange, placeZone: TimeZone) -> String {
        let place = ZonedCalendar(timeZone: placeZone)
        let text = "\(day(place.date(of: range.start))), \(times(range, in: place))"
        guard let label = zoneLabel(for: placeZone) else { return text }
        guard let own = timeZone, own.secondsFromGMT(for: range.start) != placeZone.secondsFromGMT(for: range.start) else {
            return "\(text) (\(label))"
        }
        let calendar = ZonedCalendar(timeZone: own)
        let ownDay = calendar.date(of: range.start) == place.date(of: range.start) ? "" : "\(day(calendar.date(of: range.start))), "
        return "\(text) (\(label); \(ownDay)\(times(range, in: calendar)) \(ReadingFormat.zoneName(own)))"
    }

    /// An instant at a place: "09:15" with the place's zone named unless the reader chose it.
    public func moment(_ instant: Date, placeZone: TimeZone) -> String {
        let place = ZonedCalendar(timeZone: placeZone)
        let text = "\(day(place.date(of: instant))) \(clock(place.clockTime(of: instant)))"
        return zoneLabel(for: placeZone).map { "\(text) (\($0))" } ?? text
    }

    /// The place's zone named, unless the reader chose that very zone.
    func zoneLabel(for placeZone: TimeZone) -> String? {
        if let own = timeZone, own.identifier == placeZone.identifier { return nil }
        return ReadingFormat.zoneName(placeZone)
    }

    private func times(_ range: TimeRange, in calendar: ZonedCalendar) -> String {
        "\(clock(calendar.clockTime(of: range.start)))–\(clock(calendar.clockTime(of: range.end)))"
    }
}
