import NIOCore
import NIOSSL

/// What went wrong talking to the mail server. Descriptions name the command (never its arguments, which for
/// `AUTH` hold the password) and the server's reply.
enum SMTPError: Error, CustomStringConvertible {
    case connect(host: String, port: Int, reason: String)
    case timeout(command: String)
    case closed(command: String)
    case malformedReply(String)
    case unexpectedReply(command: String, reply: SMTPReply)
    case startTLSNotOffered
    case authenticationNotOffered(offered: [String])
    case tls(String)

    var description: String {
        switch self {
        case let .connect(host, port, reason): "cannot connect to \(host):\(port): \(reason)"
        case let .timeout(command): "no reply to \(command) in time"
        case let .closed(command): "the server closed the connection (during \(command))"
        case let .malformedReply(problem): "the server's reply is not SMTP: \(problem)"
        case let .unexpectedReply(command, reply): "\(command) answered \(reply)"
        case .startTLSNotOffered: "the server does not offer STARTTLS (set tls=none only for a trusted relay)"
        case let .authenticationNotOffered(offered):
            offered.isEmpty ? "the server offers no AUTH, but a user is configured"
                : "the server offers AUTH \(offered.joined(separator: " ")), not PLAIN or LOGIN"
        case let .tls(reason): "TLS failed: \(reason)"
        }
    }

    /// The reply the server gave, when it gave one.
    var reply: SMTPReply? {
        if case let .unexpectedReply(_, reply) = self { return reply }
        return nil
    }

    /// The usual TLS failures in words; anything else as NIOSSL describes it.
    private static func tlsReason(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's certificate is not trusted (ca_file can name the certificate or CA to trust)"
        }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "the server's certificate is not for this host name"
        }
        return text
    }

    /// An error from the channel in words an operator can act on.
    static func from(_ error: any Error, command: String) -> SMTPError {
        switch error {
        case let error as SMTPError: error
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError: .tls(tlsReason(error))
        case let error as ChannelError where error == .ioOnClosedChannel || error == .eof || error == .alreadyClosed:
            .closed(command: command)
        default: .closed(command: "\(command): \(error)")
        }
    }
}
