/// How serious a diagnostic is. Errors make `lint` exit 1 and stop a rule set from loading.
public enum Severity: String, Sendable, Comparable, Codable {
    case error, warning, note

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .note: return 2
        }
    }
}

/// A suggested edit: replace the text of `span` with `replacement`.
public struct FixIt: Hashable, Sendable {
    public let span: Span
    public let replacement: String
    public init(span: Span, replacement: String) {
        self.span = span
        self.replacement = replacement
    }
}

/// A secondary message, optionally pointing at another place in the source.
public struct DiagnosticNote: Hashable, Sendable {
    public let message: String
    public let span: Span?
    public init(_ message: String, at span: Span? = nil) {
        self.message = message
        self.span = span
    }
}

/// One problem found by any stage (lexer, parser, checker, loader, test runner), with a stable
/// code from `DiagnosticCode`, a message in the house style (lower case, no final full stop, user
/// text in backticks), where it is, and what to do about it.
public struct Diagnostic: Hashable, Sendable {
    public let code: DiagnosticCode
    public let severity: Severity
    public let message: String
    public let span: Span?
    public var notes: [DiagnosticNote]
    public var help: String?
    public var fixIt: FixIt?

    public init(
        _ code: DiagnosticCode, _ message: String, at span: Span?, severity: Severity? = nil,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIt: FixIt? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.defaultSeverity
        self.message = message
        self.span = span
        self.notes = notes
        self.help = help
        self.fixIt = fixIt
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Diagnostics in file, position, then code order: the order they are printed in.
    public func sortedForDisplay() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let sa = a.element.span
            let sb = b.element.span
            switch (sa, sb) {
            case let (x?, y?):
                if x.file != y.file { return x.file < y.file }
                if x.start != y.start { return x.start < y.start }
            case (nil, _?): return false
            case (_?, nil): return true
            case (nil, nil): break
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
