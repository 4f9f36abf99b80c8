import Foundation

/// Loads a realistic demo organisation.
struct DemoSeeder {
    let services: AppServices
    let dataDirectory: URL

    func seed() async throws -> String {
        "demo data: not loaded"
    }
}
