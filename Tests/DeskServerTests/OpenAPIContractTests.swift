import Crypto
import DeskCore
@testable import DeskServer
import Foundation
import Testing

/// `openapi.yaml` is the source of truth; the Swift types and the served JSON generated from it are committed
/// (`scripts/generate-openapi.sh`). These tests fail when those files are stale, and when the contract and the values
/// the server holds in its own types drift apart.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the committed generated files are those of the current openapi.yaml: run scripts/generate-openapi.sh if not")
    func generatedFilesAreCurrent() throws {
        let sources = ["openapi.yaml", "Tools/openapi-codegen/openapi-generator-config.yaml", "Tools/openapi-codegen/Package.swift"]
        let source = try sources.reduce(into: Data()) { $0 += try Data(contentsOf: Self.root.appending(path: $1)) }
        #expect(Self.sha256(source) == OpenAPIContract.sourceSHA256,
                "openapi.yaml or the generator's configuration changed: run scripts/generate-openapi.sh and commit its output")

        let generated = Self.root.appending(path: "Sources/DeskServer/Generated")
        let names = try FileManager.default.contentsOfDirectory(atPath: generated.path(percentEncoded: false))
            .filter { $0.hasPrefix("Types") && $0.hasSuffix(".swift") }.sorted()
        #expect(!names.isEmpty)
        let types = try names.reduce(into: Data()) { $0 += try Data(contentsOf: generated.appending(path: $1)) }
        #expect(Self.sha256(types) == OpenAPIContract.typesSHA256,
                "Sources/DeskServer/Generated/Types*.swift were edited: run scripts/generate-openapi.sh instead")
    }

    @Test("every value the server writes into an enumerated field is one the contract lists, and no other")
    func enumerationsMatch() {
        func same<Contract: CaseIterable & RawRepresentable>(
            _ contract: Contract.Type, _ server: [String], sourceLocation: SourceLocation = #_sourceLocation
        ) where Contract.RawValue == String {
            #expect(Set(Contract.allCases.map(\.rawValue)) == Set(server), "\(Contract.self)", sourceLocation: sourceLocation)
        }
        typealias Schemas = Components.Schemas
        same(Schemas.Booking.StatusPayload.self, BookingStatus.allCases.map(\.rawValue))
        same(Schemas.Booking.SourcePayload.self, BookingSource.allCases.map(\.rawValue))
        same(Schemas.DeskAvailability.StatusPayload.self, DeskStatus.allCases.map(\.rawValue))
        same(Schemas.Desk.OrientationPayload.self, Array(PlaceService.orientations))
        same(Schemas.Token.ScopesPayloadPayload.self, Array(SessionService.tokenScopes))
        same(Schemas.Preferences.ThemePayload.self, Preferences.Theme.allCases.map(\.rawValue))
        same(Schemas.Preferences.DateFormatPayload.self, Preferences.DateFormat.allCases.map(\.rawValue))
        same(Schemas.Preferences.TimeFormatPayload.self, Preferences.TimeFormat.allCases.map(\.rawValue))
        same(Schemas.AllocationRequest.StatusPayload.self, RequestStatus.allCases.map(\.rawValue))
        same(Schemas.AllocationRequest.SourcePayload.self, BookingSource.allCases.map(\.rawValue))
        same(Schemas.RoundReport.TriggerPayload.self, AllocationService.RoundTrigger.allCases.map(\.rawValue))
        same(Schemas.AutopilotRule.ModePayload.self, RuleMode.allCases.map(\.rawValue))
        same(Schemas.AutopilotRule.StatusPayload.self, RuleStatus.allCases.map(\.rawValue))
        same(Schemas.AutopilotLogEntry.LevelPayload.self, AutopilotLogRecord.Level.allCases.map(\.rawValue))
        same(Schemas.AutopilotLogEntry.KindPayload.self, AutopilotLogRecord.Kind.allCases.map(\.rawValue))
        same(Schemas.RuleOutlookDay.StatePayload.self, AutopilotOutlook.Day.State.allCases.map(\.rawValue))
    }

    @Test("limits the contract states are the server's")
    func limitsMatch() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIContract.json.utf8)) as? [String: Any])
        func schema(_ name: String) -> [String: Any] {
            (((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any]) ?? [:]
        }
        func property(_ schemaName: String, _ name: String) -> [String: Any] {
            ((schema(schemaName)["properties"] as? [String: Any])?[name] as? [String: Any]) ?? [:]
        }
        #expect(property("BulkBookingRequest", "intervals")["maxItems"] as? Int == BookingService.maximumIntervals)
        #expect(property("ReplaceIntervals", "intervals")["maxItems"] as? Int == BookingService.maximumIntervals)
        for name in ["RegisterRequest", "CreateUser"] {
            #expect(property(name, "password")["minLength"] as? Int == PasswordHasher.minimumLength, "\(name)")
            #expect(property(name, "password")["maxLength"] as? Int == PasswordHasher.maximumLength, "\(name)")
        }
        #expect(property("PasswordChange", "new_password")["minLength"] as? Int == PasswordHasher.minimumLength)
        #expect(Set((property("DeskInput", "orientation")["enum"] as? [String]) ?? []) == PlaceService.orientations)
        #expect(Set(((property("TokenRequest", "scopes")["items"] as? [String: Any])?["enum"] as? [String]) ?? [])
                == SessionService.tokenScopes)
        #expect(Set((property("AllocationRequest", "status")["enum"] as? [String]) ?? [])
                == Set(RequestStatus.allCases.map(\.rawValue)))
    }

    private static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
