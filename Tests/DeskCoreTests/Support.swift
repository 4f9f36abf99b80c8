import Foundation
import Testing
@testable import DeskCore

/// An instant written as an ISO-8601 timestamp with a zone, e.g. `"2026-03-29T09:00:00+02:00"`.
func utc(_ text: String) -> Date {
    guard let date = Timestamp.parse(text) else { preconditionFailure("unparseable test timestamp \(text)") }
    return date
}

/// A range between two timestamps written as for `utc(_:)`.
func range(_ start: String, _ end: String) -> TimeRange {
    TimeRange(uncheckedStart: utc(start), end: utc(end))
}

/// A calendar day written as `yyyy-MM-dd`.
func day(_ text: String) -> LocalDate {
    guard let date = LocalDate(parsing: text) else { preconditionFailure("unparseable test date \(text)") }
    return date
}

func zone(_ identifier: String) -> TimeZone {
    guard let timeZone = TimeZone(identifier: identifier) else { preconditionFailure("unknown time zone \(identifier)") }
    return timeZone
}

let berlin = zone("Europe/Berlin")
let newYork = zone("America/New_York")
let kolkata = zone("Asia/Kolkata")
let kathmandu = zone("Asia/Kathmandu")

/// Expects `body` to throw a `DomainError` with `code` (and `kind`, when given) and returns it for further checks.
@discardableResult
func expectRefusal(
    _ code: String,
    kind: DomainError.Kind? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> DomainError? {
    let error = #expect(throws: DomainError.self, sourceLocation: sourceLocation) { try body() }
    #expect(error?.code == code, sourceLocation: sourceLocation)
    if let kind {
        #expect(error?.kind == kind, sourceLocation: sourceLocation)
    }
    return error
}
