import Foundation
import SQLKit

extension SQLDatabase {
    /// Decodes every row of a query into a record with snake_case columns.
    func all<T: Decodable>(_ type: T.Type, _ query: SQLQueryString) async throws -> [T] {
        try await raw(query).all().map { try $0.decode(model: T.self, keyDecodingStrategy: .convertFromSnakeCase) }
    }

    func first<T: Decodable>(_ type: T.Type, _ query: SQLQueryString) async throws -> T? {
        try await raw(query).first()?.decode(model: T.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// Inserts one record into `table`, its properties becoming snake_case columns.
    func insert<T: Encodable>(_ record: T, into table: String) async throws {
        try await insert(into: table).model(record, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// Inserts many records in multi-row statements, in chunks that stay under SQLite's limit of 32,766 bound values.
    func insertAll<T: Encodable>(_ records: [T], into table: String, rowsPerStatement: Int = 1000) async throws {
        var start = 0
        while start < records.count {
            let chunk = records[start..<min(start + rowsPerStatement, records.count)]
            try await insert(into: table).models(Array(chunk), keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
            start += rowsPerStatement
        }
    }

    /// Counts the rows of a `SELECT COUNT(*) AS n …` query.
    func count(_ query: SQLQueryString) async throws -> Int {
        try await raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
