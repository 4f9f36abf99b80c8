/// A file sent with a mail, such as a booking's `.ics`.
public struct MailAttachment: Sendable, Hashable {
    public var filename: String
    /// The full media type with its parameters, e.g. `text/calendar; method=PUBLISH; charset=utf-8`.
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}
