import DeskCore
import Vapor

/// iCalendar files: the secret per-person feed and one file per booking.
enum CalendarController {
    @Sendable static func feed(_ req: Request) async throws -> Response {
        // The path ends in `{token}.ics`; a malformed name cannot be a feed.
        guard let file = req.parameters.get("file"), file.hasSuffix(".ics"),
              let body = try await req.services.calendar.feed(token: String(file.dropLast(4)))
        else { throw DomainError.notFound("Calendar feed") }
        return calendarResponse(body, filename: "deskpilot.ics")
    }

    @Sendable static func booking(_ req: Request) async throws -> Response {
        let id = try req.id()
        let body = try await req.services.calendar.booking(id, try req.requireViewer())
        return calendarResponse(body, filename: "booking-\(id.uuidString.lowercased()).ics")
    }

    private static func calendarResponse(_ body: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(filename)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }
}
