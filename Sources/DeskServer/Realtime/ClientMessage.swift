import Foundation

/// What a client sends: `{"type":"subscribe","topic":"room:<id>"}`, `unsubscribe` likewise, or `ping`.
enum ClientMessage: Decodable, Equatable {
    /// `topic` as written (nil when missing); the hub parses it, so that a bad one is answered with its name.
    case subscribe(topic: String?)
    case unsubscribe(topic: String?)
    case ping
    /// A well-formed message of a type the server does not know: answered with an error, not dropped.
    case unknown(type: String)

    private enum Key: String, CodingKey {
        case type, topic
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let type = try container.decode(String.self, forKey: .type)
        let topic = try container.decodeIfPresent(String.self, forKey: .topic)
        switch type {
        case "subscribe": self = .subscribe(topic: topic)
        case "unsubscribe": self = .unsubscribe(topic: topic)
        case "ping": self = .ping
        default: self = .unknown(type: type)
        }
    }
}
