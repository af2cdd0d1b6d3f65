/// Stage 1: source text → tokens. Never stops at the first problem: a bad character is reported
/// and skipped, so the parser still sees the rest of the file.
public func lex(_ file: SourceFile, id: FileID) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(bytes: file.bytes, file: id)
    lexer.run()
    return (lexer.tokens, lexer.diagnostics)
}

struct Lexer {
    let bytes: [UInt8]
    let file: FileID
    var i = 0
    var tokens: [Token] = []
    var diagnostics: [Diagnostic] = []
    var atLineStart = true
    var lineIndented = false

    init(bytes: [UInt8], file: FileID) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    mutating func run() {
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case 0x0A:
                atLineStart = true
                lineIndented = false
                i += 1
            case 0x20, 0x0D:
                if atLineStart { lineIndented = true }
                i += 1
            case 0x09:
                if atLineStart {
                    lineIndented = true
                    report(.tabIndent, "a tab is used for indentation", i, 1,
                        help: "indent with spaces; a tab shows differently in every editor")
                }
                i += 1
            case 0x23:  // comment
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            case 0x22:
                lexString()
            case 0x30...0x39:
                lexNumberOrDate()
            case _ where isWordStart(c):
                lexWord()
            default:
                lexSymbol()
            }
        }
        emit(.endOfFile, start: bytes.count, length: 0)
    }

    mutating func emit(_ kind: TokenKind, start: Int, length: Int) {
        tokens.append(
            Token(
                kind: kind, span: Span(file: file, start: start, length: length),
                startsLine: atLineStart, inColumnOne: atLineStart && !lineIndented))
        atLineStart = false
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, _ start: Int, _ length: Int, help: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: Span(file: file, start: start, length: length), help: help))
    }

    func isWordStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
    }

    func isWordByte(_ c: UInt8) -> Bool { isWordStart(c) || (c >= 0x30 && c <= 0x39) }

    func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }

    mutating func lexWord() {
        let start = i
        while i < bytes.count {
            if isWordByte(bytes[i]) {
                i += 1
            } else if bytes[i] == 0x2D, i + 1 < bytes.count, isWordStart(bytes[i + 1]), i > start {
                i += 1  // a hyphen joining two words: `caseload-limit`
            } else {
                break
            }
        }
        emit(.word(String(decoding: bytes[start..<i], as: UTF8.self)), start: start, length: i - start)
    }

    mutating func lexNumberOrDate() {
        let start = i
        while isDigit(i) { i += 1 }
        // A date: exactly YYYY-MM-DD.
        if i - start == 4, i < bytes.count, bytes[i] == 0x2D, isDigit(i + 1) {
            var j = i + 1
            while j < bytes.count, isDigit(j) || bytes[j] == 0x2D { j += 1 }
            let text = String(decoding: bytes[start..<j], as: UTF8.self)
            i = j
            if let d = LocalDate(iso: text) {
                emit(.date(d), start: start, length: j - start)
            } else {
                report(.invalidDate, "`\(text)` is not a date", start, j - start,
                    help: "write dates as YYYY-MM-DD, for example `2019-03-04`")
                emit(.date(LocalDate(dayNumber: 0)), start: start, length: j - start)
            }
            return
        }
        if i < bytes.count, bytes[i] == 0x2E, isDigit(i + 1) {
            i += 1
            while isDigit(i) { i += 1 }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if i < bytes.count, isWordStart(bytes[i]), !(bytes[i] == 0x5F) {
            // `15days` — a number run into a word.
            var j = i
            while j < bytes.count, isWordByte(bytes[j]) { j += 1 }
            let whole = String(decoding: bytes[start..<j], as: UTF8.self)
            report(.invalidNumber, "`\(whole)` is not a number", start, j - start,
                help: "put a space between the number and the word, as in `\(text) \(String(decoding: bytes[i..<j], as: UTF8.self))`")
        }
        emit(.number(Double(text) ?? 0, text: text), start: start, length: i - start)
    }

    mutating func lexString() {
        let start = i
        i += 1
        var value: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x22 {
                i += 1
                emit(.string(String(decoding: value, as: UTF8.self)), start: start, length: i - start)
                return
            }
            if c == 0x0A { break }
            if c == 0x5C, i + 1 < bytes.count, bytes[i + 1] == 0x22 || bytes[i + 1] == 0x5C {
                value.append(bytes[i + 1])
                i += 2
                continue
            }
            value.append(c)
            i += 1
        }
        report(.unterminatedString, "this text has no closing `\"`", start, i - start,
            help: "end the text with `\"` on the same line")
        emit(.string(String(decoding: value, as: UTF8.self)), start: start, length: i - start)
    }

    /// `“text”`: reported once, with a fix-it to straight quotes, and read as text.
    mutating func lexCurlyString() {
        let start = i
        i += 3
        let contentStart = i
        while i < bytes.count, bytes[i] != 0x0A, !bytes[i...].starts(with: [0xE2, 0x80, 0x9D]) { i += 1 }
        let content = String(decoding: bytes[contentStart..<i], as: UTF8.self)
        if bytes[i...].starts(with: [0xE2, 0x80, 0x9D]) { i += 3 }
        let span = Span(file: file, start: start, length: i - start)
        diagnostics.append(Diagnostic(.unexpectedCharacter, "text must be in straight double quotes, not curly ones", at: span,
            help: "word processors turn `\"` into `“`; type the text in a plain-text editor",
            fixIt: FixIt(span: span, replacement: "\"\(content)\"")))
        emit(.string(content), start: start, length: i - start)
    }

    static let twoByteSymbols: Set<String> = ["<=", ">=", "!="]
    static let oneByteSymbols: Set<UInt8> = Set(".,:{}[]()+-<>=?*/".utf8)

    mutating func lexSymbol() {
        let start = i
        if i + 1 < bytes.count {
            let two = String(decoding: bytes[i...(i + 1)], as: UTF8.self)
            if Lexer.twoByteSymbols.contains(two) {
                i += 2
                emit(.symbol(two), start: start, length: 2)
                return
            }
        }
        let c = bytes[i]
        if Lexer.oneByteSymbols.contains(c) {
            i += 1
            emit(.symbol(String(UnicodeScalar(c))), start: start, length: 1)
            return
        }
        // Curly quotes: read the text anyway, so one mistake gives one diagnostic.
        if bytes[i...].starts(with: [0xE2, 0x80, 0x9C]) {
            lexCurlyString()
            return
        }
        // Skip one whole UTF-8 character.
        var j = i + 1
        while j < bytes.count, bytes[j] & 0xC0 == 0x80 { j += 1 }
        let ch = String(decoding: bytes[i..<j], as: UTF8.self)
        var help = "remove it"
        if ch == "\u{201C}" || ch == "\u{201D}" { help = "use straight double quotes `\"` for text" }
        if ch == "'" || ch == "\u{2019}" { help = "text goes in double quotes `\"`; an apostrophe is only allowed inside them" }
        report(.unexpectedCharacter, "unexpected character `\(ch)`", i, j - i, help: help)
        i = j
    }
}
