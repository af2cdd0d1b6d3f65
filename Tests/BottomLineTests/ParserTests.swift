import XCTest
@testable import BottomLine

/// Table-driven tests of the parser: expression trees (spans ignored), clauses, recovery.
final class ParserTests: XCTestCase {
    let s = Span(file: FileID(0), start: 0, length: 0)
    func n(_ x: String) -> ExpressionSyntax { ExpressionSyntax(.name(x), span: s) }
    func f(_ b: ExpressionSyntax, _ x: String) -> ExpressionSyntax { ExpressionSyntax(.field(b, Identifier(x, span: s)), span: s) }
    func bin(_ op: BinaryOperator, _ a: ExpressionSyntax, _ b: ExpressionSyntax) -> ExpressionSyntax { ExpressionSyntax(.binary(op, a, b), span: s) }
    func num(_ x: Double) -> ExpressionSyntax { ExpressionSyntax(.number(x), span: s) }
    func dur(_ a: Int, _ u: DurationUnit) -> ExpressionSyntax { ExpressionSyntax(.duration(Duration(a, u)), span: s) }

    /// Parses `require EXPR` inside a rule and returns EXPR.
    func expr(_ text: String) -> (ExpressionSyntax?, [Diagnostic]) {
        let (tree, diags, _) = parseSource("rule r \"t\"\n  require \(text)\n")
        guard case .rule(let r)? = tree.declarations.first else { return (nil, diags) }
        return (r.require, diags)
    }

    func testExpressions() {
        let table: [(String, ExpressionSyntax)] = [
            ("a.b.c", f(f(n("a"), "b"), "c")),
            ("x + 15 working days", bin(.plus, n("x"), dur(15, .workingDays))),
            ("x + 1 working day - 2 days", bin(.minus, bin(.plus, n("x"), dur(1, .workingDays)), dur(2, .days))),
            ("a < b and c or d", bin(.or, bin(.and, bin(.less, n("a"), n("b")), n("c")), n("d"))),
            ("not a and b", bin(.and, ExpressionSyntax(.not(n("a")), span: s), n("b"))),
            ("plan.end is absent", ExpressionSyntax(.presence(f(n("plan"), "end"), present: false), span: s)),
            ("plan.end is not absent", ExpressionSyntax(.presence(f(n("plan"), "end"), present: true), span: s)),
            ("caseload-limit - 2", bin(.minus, n("caseload-limit"), num(2))),
            ("(a + 1) - 2", bin(.minus, bin(.plus, n("a"), num(1)), num(2))),
            ("count of case.visits where visit.seen_alone",
                ExpressionSyntax(.aggregate(.count, Selection(list: f(n("case"), "visits"), condition: f(n("visit"), "seen_alone"))), span: s)),
            ("count of distinct case.child.id <= limit",
                bin(.lessEqual, ExpressionSyntax(.aggregate(.countDistinct, Selection(list: f(f(n("case"), "child"), "id"))), span: s), n("limit"))),
            ("latest of case.section47 as e where e.icpc_required",
                ExpressionSyntax(.aggregate(.latest, Selection(list: f(n("case"), "section47"), itemName: Identifier("e", span: s), condition: f(n("e"), "icpc_required"))), span: s)),
            ("working days from a to b > 3", bin(.greater, ExpressionSyntax(.between(.workingDays, n("a"), n("b")), span: s), num(3))),
            ("2019-03-04 = \"x\"", bin(.equal, ExpressionSyntax(.date(LocalDate(iso: "2019-03-04")!), span: s), ExpressionSyntax(.text("x"), span: s))),
        ]
        for (text, expected) in table {
            let (e, d) = expr(text)
            XCTAssertEqual(d, [], text)
            XCTAssertEqual(e, expected, text)
        }
    }

    func testRuleClauses() {
        let (tree, d, _) = parseSource("""
            use calendar england-and-wales
            rule icpc "Conference in time"
              source "WT 2018"
              kind statutory
              for each enquiry in case.section47
              applies when enquiry.icpc_required
              due enquiry.strategy_discussion + 15 working days
              done enquiry.icpc
              warn 3 working days before
              counting the start day as day 1
            """)
        XCTAssertEqual(d, [])
        XCTAssertEqual(tree.declarations.count, 2)
        guard case .rule(let r) = tree.declarations[1] else { return XCTFail("not a rule") }
        XCTAssertEqual(r.id.name, "icpc")
        XCTAssertEqual(r.title?.value, "Conference in time")
        XCTAssertEqual(r.kind?.name, "statutory")
        XCTAssertEqual(r.forEach?.name.name, "enquiry")
        XCTAssertEqual(r.warn, Duration(3, .workingDays))
        XCTAssertEqual(r.counting, .startDayIsDayOne)
        XCTAssertEqual(r.done, f(n("enquiry"), "icpc"))
    }

    func testParamsAndSchema() {
        let (tree, d, _) = parseSource("""
            param caseload-limit = 17
              note "no more than 17"
              from 2027-04-01 = 15
            schema case
              case_id: text
              child: { id: text, birth_date: date? "date of birth" }?
              visits: list of { date: date? }
            """)
        XCTAssertEqual(d, [])
        guard case .param(let p) = tree.declarations[0], case .schema(let sc) = tree.declarations[1] else { return XCTFail() }
        XCTAssertEqual(p.value, .number(17))
        XCTAssertEqual(p.changes.map(\.from), [LocalDate(iso: "2027-04-01")!])
        XCTAssertEqual(sc.fields.map(\.name.name), ["case_id", "child", "visits"])
        XCTAssertEqual(sc.fields[1].optional, true)
        guard case .record(let inner) = sc.fields[1].type else { return XCTFail() }
        XCTAssertEqual(inner[1].label?.value, "date of birth")
    }

    /// Each broken input gives the listed diagnostics (code and message), and parsing goes on.
    func testErrorsAndRecovery() {
        let table: [(String, [(DiagnosticCode, String)])] = [
            ("rule a \"t\"\nsource \"x\"\n", [(.layout, "`source` must be indented under the rule it belongs to")]),
            ("rule a \"t\"\n  sorce \"x\"\n  kind statutory\n", [(.unknownClause, "`sorce` is not a rule clause")]),
            ("rule a \"t\"\n  kind statutory\n  kind bottom-line\n", [(.repeatedClause, "`kind` is given twice in rule `a`")]),
            ("rule a \"t\"\n  due + 3\n  done x\n  require\n", [
                (.syntax, "expected an expression, found `+`"),
                (.syntax, "expected an expression, found the end of the file"),
            ]),
            ("rule a \"t\"\n  due\nrule b \"u\"\n", [(.layout, "expected an expression before the next declaration")]),
            ("rul a\nrule b \"t\"\n", [(.syntax, "expected a declaration (`rule`, `param`, `schema`, `calendar` or `use`), found `rul`")]),
            ("  rule a \"t\"\n", [(.layout, "a declaration must start in column 1")]),
            ("rule a \"t\"\n  warn 3 before\n", [(.syntax, "expected a unit (`days`, `weeks`, `months`, `years` or `working days`), found `before`")]),
            ("rule a \"t\"\n  require x is 3\n", [(.syntax, "expected `present` or `absent` after `is`, found the number `3`")]),
        ]
        for (text, expected) in table {
            let (_, d, _) = parseSource(text)
            XCTAssertEqual(d.map(\.code), expected.map(\.0), text)
            XCTAssertEqual(d.map(\.message), expected.map(\.1), text)
        }
    }

    func testRecoveryKeepsLaterRules() {
        let (tree, d, _) = parseSource("rule a \"t\"\n  due ) (\n  done x\nrule b \"u\"\n  require true\n")
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(tree.declarations.count, 2)
        guard case .rule(let a) = tree.declarations[0] else { return XCTFail() }
        XCTAssertNotNil(a.done, "the clause after the broken one is still read")
    }
}
