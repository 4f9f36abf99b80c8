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
        guard text(trimmed, field: field) else { return }
        if length.contains(trimmed.count) { target = trimmed } else { fail(field, "\(length.lowerBound)-\(length.upperBound) characters") }
    }

    /// Records a failure when `value` holds characters stored text may not (see `textProblems`); true when it is clean.
    @discardableResult
    mutating func text(_ value: String?, field: String, multiline: Bool = false) -> Bool {
        let problems = Self.textProblems(value, field: field, multiline: multiline)
        errors += problems
        return problems.isEmpty
    }

    func throwIfAny() throws(DomainError) {
        guard errors.isEmpty else { throw .validation(errors) }
    }
}

extension FieldChecks {
    /// The one rule for text people type that the server stores or shows: no control characters (NUL, the other C0
    /// controls, DEL and the C1 controls), which no name or note needs and which break terminals, logs, CSV, e-mail
    /// headers and C libraries (bcrypt ends a password at NUL). Multi-line text (notes, descriptions, reasons) may
    /// hold tabs and line breaks.
    static func textProblems(_ value: String?, field: String, multiline: Bool = false) -> [FieldError] {
        guard let value, hasControlCharacters(value, multiline: multiline) else { return [] }
        return [FieldError(field: field, message: multiline
            ? "must not contain control characters other than tabs and line breaks"
            : "must not contain control characters such as NUL, tabs or line breaks")]
    }

    /// Throws `validation_failed` naming `field` when `value` breaks `textProblems`.
    static func checkText(_ value: String?, field: String, multiline: Bool = false) throws(DomainError) {
        let problems = textProblems(value, field: field, multiline: multiline)
        guard problems.isEmpty else { throw .validation(problems) }
    }

    static func hasControlCharacters(_ value: String, multiline: Bool) -> Bool {
        // Fast path: every control character's UTF-8 form starts with a byte below 0x20, 0x7F, or 0xC2 (C1).
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return false }
        return value.unicodeScalars.contains { scalar in
            guard scalar.properties.generalCategory == .control else { return false }
            return !(multiline && (scalar == "\t" || scalar == "\n" || scalar == "\r"))
        }
    }
}
