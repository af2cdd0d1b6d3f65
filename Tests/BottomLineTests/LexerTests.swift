import XCTest
@testable import BottomLine

/// Table-driven tests of the lexer: token kinds, hyphenated names, dates, layout flags, errors.
final class LexerTests: XCTestCase {
    func kinds(_ s: String) -> [TokenKind] {
        var map = SourceMap()
        let id = map.add(SourceFile(path: "t", text: s))
        return lex(map[id], id: id).tokens.map(\.kind).dropLast()
    }

    func testTokenKinds() {
        let table: [(String, [TokenKind])] = [
            ("rule icpc-timescale", [.word("rule"), .word("icpc-timescale")]),
            ("caseload-limit - 2", [.word("caseload-limit"), .symbol("-"), .number(2, text: "2")]),
            ("x-2", [.word("x"), .symbol("-"), .number(2, text: "2")]),
            ("2019-03-04 + 15 working days", [.date(LocalDate(iso: "2019-03-04")!), .symbol("+"), .number(15, text: "15"), .word("working"), .word("days")]),
            ("\"Working \\\"Together\\\"\"", [.string("Working \"Together\"")]),
            ("a <= b != c >= d", [.word("a"), .symbol("<="), .word("b"), .symbol("!="), .word("c"), .symbol(">="), .word("d")]),
            ("plan.end is absent # a comment", [.word("plan"), .symbol("."), .word("end"), .word("is"), .word("absent")]),
            ("date?", [.word("date"), .symbol("?")]),
            ("2.5", [.number(2.5, text: "2.5")]),
        ]
        for (source, expected) in table {
            XCTAssertEqual(kinds(source), expected, source)
        }
    }

    func testLayoutFlags() {
        var map = SourceMap()
        let id = map.add(SourceFile(path: "t", text: "rule a \"t\"\n  source \"s\"\nrule b"))
        let tokens = lex(map[id], id: id).tokens
        XCTAssertEqual(tokens.map(\.inColumnOne), [true, false, false, false, false, true, false, false])
        XCTAssertEqual(tokens.map(\.startsLine), [true, false, false, true, false, true, false, false])
    }

    func testErrors() {
        let table: [(String, DiagnosticCode, String)] = [
            ("\"unterminated", .unterminatedString, "this text has no closing `\"`"),
            ("2019-02-30", .invalidDate, "`2019-02-30` is not a date"),
            ("15days", .invalidNumber, "`15days` is not a number"),
            ("a ; b", .unexpectedCharacter, "unexpected character `;`"),
            ("\u{201C}x\u{201D}", .unexpectedCharacter, "text must be in straight double quotes, not curly ones"),
            ("\tsource", .tabIndent, "a tab is used for indentation"),
        ]
        for (source, code, message) in table {
            var map = SourceMap()
            let id = map.add(SourceFile(path: "t", text: source))
            let d = lex(map[id], id: id).diagnostics
            XCTAssertEqual(d.first?.code, code, source)
            XCTAssertEqual(d.first?.message, message, source)
        }
    }
}
