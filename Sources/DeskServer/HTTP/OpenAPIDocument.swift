import Foundation

/// The served OpenAPI 3.1 document.
enum OpenAPIDocument {
    static let json = Data(#"{"openapi":"3.1.0","info":{"title":"DeskPilot","version":"0.1.0"},"paths":{}}"#.utf8)
}
