import DeskCore

/// The checks that many inputs share, collecting field errors instead of stopping at the first.
struct FieldChecks {
    private(set) var errors: [FieldError] = []

    mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// A trimmed name of `length` characters, required when creating and optional when changing.
    mutating func name(_ value: String?, into target: inout String, creating: Bool, length: ClosedRange<Int> = 1...100,
                       field: String = "name") {
        guard let trimmed = value?.trimmingCharacters(in: .whitespaces) else {
            if creating { fail(field, "is required") }
            return
        }
        if length.contains(trimmed.count) { target = trimmed } else { fail(field, "\(length.lowerBound)-\(length.upperBound) characters") }
    }

    func throwIfAny() throws(DomainError) {
        guard errors.isEmpty else { throw .validation(errors) }
    }
}
