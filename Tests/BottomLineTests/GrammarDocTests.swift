import XCTest
@testable import BottomLine

/// Parses every example in Grammar.md, so the reference cannot drift from the parser:
/// ```` ```rules ```` blocks must lex, parse and check cleanly (against the shipped schema and
/// calendar); ```` ```rules-with-errors ```` blocks must give errors.
final class GrammarDocTests: XCTestCase {
    func blocks(_ tag: String) -> [String] {
        let text = Repo.read("Grammar.md")
        var out: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```" + tag {
                current = []
            } else if current != nil, line == "```" {
                out.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return out
    }

    func context() -> [(path: String, text: String)] {
        [("rules/calendars/england-and-wales.rules", Repo.read("rules/calendars/england-and-wales.rules"))]
    }

    func testEveryExampleParsesAndChecks() {
        let examples = blocks("rules")
        XCTAssertGreaterThanOrEqual(examples.count, 7, "Grammar.md lost its examples")
        let schema = Repo.read("rules/schema.rules")
        for (i, example) in examples.enumerated() {
            let (_, parseDiagnostics, map) = parseSource(example)
            XCTAssertEqual(DiagnosticRenderer(sources: map).render(parseDiagnostics), "", "example \(i + 1) does not parse:\n\(example)")
            // Examples that declare their own schema are checked alone; the rest with the standard one.
            var files = context() + [("Grammar.md example \(i + 1)", example)]
            if !example.contains("schema case") { files.append(("rules/schema.rules", schema)) }
            let rs = RuleSet.load(sources: files)
            let errors = rs.diagnostics.filter { $0.severity == .error }
            XCTAssertEqual(DiagnosticRenderer(sources: rs.sources).render(errors), "", "example \(i + 1) does not check:\n\(example)")
        }
    }

    /// Examples that are rule tests are run against the shipped rules, so their expectations hold.
    func testTestExamplesPass() {
        let tests = blocks("rules").filter { $0.hasPrefix("test ") }
        XCTAssertGreaterThanOrEqual(tests.count, 1)
        for block in tests {
            let report = RuleTests.run(rules: shippedRules, files: [("Grammar.md", block)]) { _ in nil }
            XCTAssertTrue(report.succeeded, RuleTests.text(report))
            XCTAssertGreaterThan(report.results.count, 0)
        }
    }

    func testErrorExampleGivesThreeErrors() {
        let examples = blocks("rules-with-errors")
        XCTAssertEqual(examples.count, 1)
        let rs = RuleSet.load(sources: context() + [("rules/schema.rules", Repo.read("rules/schema.rules")), ("example", examples[0])])
        XCTAssertEqual(rs.diagnostics.filter { $0.severity == .error }.map(\.code), [.missingSource, .unknownField, .typeMismatch])
    }
}
