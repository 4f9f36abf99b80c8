import Foundation
import SQLKit

/// Many rows for one table, sent as a single JSON parameter that the database unpacks itself (SQLite `jsonb_each`,
/// whose rows come as binary JSON read without parsing again; PostgreSQL `json_array_elements`). A round stores tens of thousands of rows; one bind per value made encoding the
/// parameters cost more than the inserts.
struct JSONRows {
    enum Kind {
        case uuid, text, integer, real, time, bool
    }

    enum Value {
        case uuid(UUID?), text(String?), integer(Int?), real(Double?), time(Date?), bool(Bool)
    }

    let table: String
    let columns: [(name: String, kind: Kind)]
    private(set) var count = 0
    private var json = "["

    init(into table: String, columns: [(String, Kind)]) {
        self.table = table
        self.columns = columns.map { (name: $0.0, kind: $0.1) }
    }

    /// Adds a row; values in `columns` order, of their kinds.
    mutating func append(_ values: [Value]) {
        precondition(values.count == columns.count, "a value for each column")
        if count > 0 { json += "," }
        json += "["
        for (index, value) in values.enumerated() {
            if index > 0 { json += "," }
            switch value {
            case .uuid(let id): json += id.map { "\"\($0.uuidString)\"" } ?? "null"
            case .text(let text): json += text.map(Self.quoted) ?? "null"
            case .integer(let number): json += number.map(String.init) ?? "null"
            case .real(let number): json += number.map { $0.isFinite ? "\($0)" : "null" } ?? "null"
            case .time(let date): json += date.map { "\($0.timeIntervalSince1970)" } ?? "null"
            case .bool(let flag): json += flag ? "true" : "false"
            }
        }
        json += "]"
        count += 1
    }

    func insert(on sql: any SQLDatabase) async throws {
        guard count > 0 else { return }
        let isPostgres = sql.dialect.name == "postgresql"
        let names = columns.map(\.name).joined(separator: ", ")
        let values = columns.enumerated().map { index, column in
            isPostgres ? Self.postgres(index, column.kind) : "json_extract(value, '$[\(index)]')"
        }.joined(separator: ", ")
        let rows = json + "]"
        let insert: SQLQueryString = "INSERT INTO \(ident: table) (\(unsafeRaw: names)) SELECT \(unsafeRaw: values) FROM "
        try await sql.raw(insert + (isPostgres ? "json_array_elements(\(bind: rows)::json) AS r(value)" : "jsonb_each(\(bind: rows))")).run()
    }

    private static func postgres(_ index: Int, _ kind: Kind) -> String {
        let text = "(value->>\(index))"
        return switch kind {
        case .uuid: "\(text)::uuid"
        case .text: text
        case .integer: "\(text)::bigint"
        case .real: "\(text)::double precision"
        case .time: "to_timestamp(\(text)::double precision)"
        case .bool: "\(text)::boolean"
        }
    }

    /// A JSON string literal.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

// The records written in bulk (a round's entries, bookings, audit entries and notifications), as JSON rows.

extension AllocationEntryRecord {
    static func rows(_ entries: [Self]) -> JSONRows {
        var rows = JSONRows(into: "allocation_entries", columns: [
            ("round_id", .uuid), ("request_id", .uuid), ("user_id", .uuid), ("position", .integer), ("weight", .real),
            ("draw_key", .real), ("losses", .integer), ("outcome", .text), ("preference_rank", .integer), ("desk_id", .uuid),
            ("booking_id", .uuid), ("waitlist_position", .integer), ("denied_rooms", .text), ("window_start", .time),
            ("window_end", .time), ("reason", .text),
        ])
        for entry in entries {
            rows.append([.uuid(entry.roundId), .uuid(entry.requestId), .uuid(entry.userId), .integer(entry.position), .real(entry.weight),
                         .real(entry.drawKey), .integer(entry.losses), .text(entry.outcome), .integer(entry.preferenceRank),
                         .uuid(entry.deskId), .uuid(entry.bookingId), .integer(entry.waitlistPosition), .text(entry.deniedRooms),
                         .time(entry.windowStart), .time(entry.windowEnd), .text(entry.reason)])
        }
        return rows
    }
}

extension BookingRecord {
    static func rows(_ bookings: [Self]) -> JSONRows {
        var rows = JSONRows(into: "bookings", columns: [
            ("id", .uuid), ("desk_id", .uuid), ("user_id", .uuid), ("start_at", .time), ("end_at", .time), ("status", .text),
            ("source", .text), ("created_by", .uuid), ("created_at", .time), ("updated_at", .time), ("checked_in_at", .time),
            ("note", .text),
        ])
        for booking in bookings {
            rows.append([.uuid(booking.id), .uuid(booking.deskId), .uuid(booking.userId), .time(booking.startAt), .time(booking.endAt),
                         .text(booking.status.rawValue), .text(booking.source.rawValue), .uuid(booking.createdBy), .time(booking.createdAt),
                         .time(booking.updatedAt), .time(booking.checkedInAt), .text(booking.note)])
        }
        return rows
    }
}

extension AuditRecord {
    static func rows(_ entries: [Self]) -> JSONRows {
        var rows = JSONRows(into: "audit_log", columns: [
            ("id", .uuid), ("at", .time), ("actor_id", .uuid), ("action", .text), ("target_type", .text), ("target_id", .uuid),
            ("location_id", .uuid), ("ip", .text), ("details", .text),
        ])
        for entry in entries {
            rows.append([.uuid(entry.id), .time(entry.at), .uuid(entry.actorId), .text(entry.action), .text(entry.targetType),
                         .uuid(entry.targetId), .uuid(entry.locationId), .text(entry.ip), .text(entry.details)])
        }
        return rows
    }
}

extension NotificationRecord {
    static func rows(_ notifications: [Self]) -> JSONRows {
        var rows = JSONRows(into: "notifications", columns: [
            ("id", .uuid), ("user_id", .uuid), ("kind", .text), ("message", .text), ("booking_id", .uuid), ("created_at", .time),
            ("read_at", .time), ("link", .text), ("location_id", .uuid),
        ])
        for notification in notifications {
            rows.append([.uuid(notification.id), .uuid(notification.userId), .text(notification.kind), .text(notification.message),
                         .uuid(notification.bookingId), .time(notification.createdAt), .time(notification.readAt),
                         .text(notification.link), .uuid(notification.locationId)])
        }
        return rows
    }
}
