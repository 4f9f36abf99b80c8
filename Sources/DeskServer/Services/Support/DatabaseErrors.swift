import DeskCore
import FluentKit

extension Error {
    /// A unique, foreign-key, check or exclusion constraint refused the write (both databases).
    var isConstraintFailure: Bool {
        (self as? any DatabaseError)?.isConstraintFailure ?? false
    }
}

/// Runs a write and turns a constraint failure into the given domain error instead of a 500.
func mappingConstraintFailure<T>(to domainError: DomainError, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch where error.isConstraintFailure {
        throw domainError
    }
}
