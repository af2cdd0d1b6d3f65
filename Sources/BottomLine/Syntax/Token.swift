/// The kinds of token in a rule file. Keywords are ordinary words: the parser gives them meaning
/// by position, so a field may be called `date` or `kind`.
public enum TokenKind: Equatable, Sendable {
    /// A name or keyword: letters, digits, `_`, and `-` between letters (`caseload-limit`).
    case word(String)
    case number(Double, text: String)
    case date(LocalDate)
    case string(String)
    /// Punctuation and operators: `. , : { } [ ] ( ) + - < <= > >= = != ?`.
    case symbol(String)
    case endOfFile
}

/// A token with its place in the source and its layout: whether it is the first on its line,
/// and whether that line is unindented (a new declaration starts only in column 1).
public struct Token: Equatable, Sendable {
    public let kind: TokenKind
    public let span: Span
    public let startsLine: Bool
    public let inColumnOne: Bool

    public init(kind: TokenKind, span: Span, startsLine: Bool, inColumnOne: Bool) {
        self.kind = kind
        self.span = span
        self.startsLine = startsLine
        self.inColumnOne = inColumnOne
    }

    /// The word, if this token is one.
    public var word: String? {
        if case .word(let w) = kind { return w }
        return nil
    }

    public func isWord(_ w: String) -> Bool { word == w }

    public func isSymbol(_ s: String) -> Bool {
        if case .symbol(let x) = kind { return x == s }
        return false
    }

    /// How the token is described in "expected …, found …" messages.
    public var description: String {
        switch kind {
        case .word(let w): return "`\(w)`"
        case .number(_, let t): return "the number `\(t)`"
        case .date(let d): return "the date `\(d)`"
        case .string(let s): return "the text \"\(s)\""
        case .symbol(let s): return "`\(s)`"
        case .endOfFile: return "the end of the file"
        }
    }
}
