import XCTest
@testable import BottomLine

/// Table-driven tests of the checker: each rule text gives exactly the listed diagnostics.
final class CheckerTests: XCTestCase {
    /// A well-formed rule header, so each case only adds what it tests.
    func rule(_ body: String, id: String = "r") -> String {
        "use calendar test-calendar\nrule \(id) \"title\"\n  source \"s\"\n  kind statutory\n" + body
    }

    func testDiagnostics() {
        let table: [(String, [(DiagnosticCode, String, String?)])] = [
            (rule("  due case.referral.dat + 1 working day\n  done case.referral.decision_date\n"),
                [(.unknownField, "`case.referral` has no field `dat`", "did you mean `case.referral.date`?")]),
            (rule("  require case.referral.date + 3 > case.referral.decision_date\n"),
                [(.typeMismatch, "cannot add a number to a date", "give the number a unit, like `3 working days` or `3 days`")]),
            (rule("  require case.referral.date = \"2019-01-01\"\n"),
                [(.typeMismatch, "cannot compare a date with text", "both sides of `=` must be the same kind of value")]),
            ("use calendar test-calendar\nrule r \"t\"\n  kind statutory\n  require true\n",
                [(.missingSource, "rule `r` has no `source`", "every rule cites where it comes from: add a line like `source \"Working Together to Safeguard Children 2018, chapter 1\"`, or `source \"Bottom line set by …\"`")]),
            ("use calendar test-calendar\nrule r \"t\"\n  source \"s\"\n  require true\n",
                [(.missingKind, "rule `r` has no `kind`", "add `kind statutory` or `kind bottom-line`")]),
            (rule("  require true\n") + rule("  require true\n"),
                [(.duplicateRule, "rule id `r` is used twice", "give each rule its own id; services key findings on it")]),
            ("use calendar test-calender\n",
                [(.unknownCalendar, "there is no calendar called `test-calender`", "did you mean `test-calendar`?")]),
            ("rule r \"t\"\n  source \"s\"\n  kind statutory\n  due case.referral.date + 1 working day\n  done case.referral.decision_date\n",
                [(.noCalendar, "working days need a calendar, and this file does not name one", "add `use calendar england-and-wales` at the top of the file")]),
            ("param limit = 17\n" + rule("  require true\n"),
                [(.unusedParam, "param `limit` is never used", "use it in a rule, or remove it")]),
            (rule("  due case.referral.date + 1 day\n"),
                [(.missingDone, "rule `r` says when something is due but not what shows it was done", "add a `done` line naming the date of the event, like `done enquiry.icpc`")]),
            (rule(""),
                [(.missingRequirement, "rule `r` does not say what it requires", "add `due … done …` for a deadline, `require …` for a condition, or `every … from …` with `by …` for a recurring event")]),
            (rule("  for each e in case.referral\n  require true\n"),
                [(.notAList, "`for each` needs a list, but this is a record", "name a list field of the case, such as `case.section47`")]),
            (rule("  require referral.date is present\n"),
                [(.unknownName, "nothing called `referral` is defined here", "fields of the case are read through `case`: write `case.referral`")]),
            (rule("  require count of case.visits where visit.seen_alone > 2\n"),
                [(.typeMismatch, "cannot compare true or false with a number", "both sides of `>` must be the same kind of value"),
                 (.typeMismatch, "`require` should be true or false, but this is a number",
                    "the condition after `where` runs to the end of the line; to compare the result, put it in brackets: `(count of … where …) > 2`")]),
            (rule("  due latest case.supervisions + 1 month\n  done case.referral.date\n"), []),
            (rule("  for each e in case.section47\n  applies when e.icpc_required\n  due e.strategy_discussion + 15 working days\n  done e.icpc\n"), []),
            (rule("  require (count of case.visits where visit.seen_alone) > 2 and case.child.id is present\n"), []),
        ]
        for (text, expected) in table {
            let rs = loadWithPrelude(text)
            let got = rs.diagnostics.map { ($0.code, $0.message, $0.help) }
            XCTAssertEqual(got.map(\.0), expected.map(\.0), text)
            XCTAssertEqual(got.map(\.1), expected.map(\.1), text)
            XCTAssertEqual(got.map(\.2), expected.map(\.2), text)
        }
    }

    func testNearMissFixIt() {
        let rs = loadWithPrelude(rule("  due case.referral.dat + 1 working day\n  done case.referral.decision_date\n"))
        XCTAssertEqual(rs.diagnostics.first?.fixIt?.replacement, "date")
        XCTAssertFalse(rs.isUsable)
    }

    func testThreeProblemsInOneRun() {
        // The acceptance case: a misspelt field, a missing source and a type error.
        let text = """
            use calendar test-calendar
            rule a "Decision in time"
              kind statutory
              due case.referral.date + 1 working day
              done case.referral.decison_date
            rule b "Types"
              source "s"
              kind statutory
              require case.referral.date + 3 > case.referral.decision_date
            """
        let rs = loadWithPrelude(text)
        XCTAssertEqual(rs.diagnostics.map(\.code), [.missingSource, .unknownField, .typeMismatch])
        XCTAssertTrue(rs.diagnostics.allSatisfy { $0.span != nil })
    }

    func testShippedRulesAreClean() {
        XCTAssertEqual(shippedRules.renderDiagnostics(), "")
        XCTAssertTrue(shippedRules.isUsable)
        XCTAssertEqual(Set(shippedRules.program?.rules.map(\.id) ?? []), [
            "referral-decision", "assessment-timescale", "icpc-timescale", "cp-reviews", "core-group-timescale", "cp-visits",
            "lac-reviews", "lac-visits", "lac-health-assessments", "caseload", "team-size", "supervision-monthly",
            "case-summary-quarterly",
        ])
    }
}
