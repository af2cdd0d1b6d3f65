import Foundation
import XCTest
@testable import BottomLine

/// The shipped rules' own tests (`rules/*.test.rules`) run as part of `swift test`, and the test
/// runner itself can fail: wrong expectations, tests that expect nothing, unknown rules.
final class RuleTestRunnerTests: XCTestCase {
    func testFiles(_ names: [String]) -> [(path: String, text: String)] {
        names.map { ("rules/\($0)", Repo.read("rules/\($0)")) }
    }

    func run(_ files: [(path: String, text: String)]) -> RuleTestReport {
        RuleTests.run(rules: shippedRules, files: files) { FileManager.default.contents(atPath: Repo.path($0)).map { Array($0) } }
    }

    func testShippedRuleTestsPass() {
        let report = run(testFiles(["child-protection.test.rules", "looked-after.test.rules", "bottom-lines.test.rules"]))
        XCTAssertTrue(report.succeeded, RuleTests.text(report))
        XCTAssertGreaterThanOrEqual(report.results.count, 80)
        // Every shipped rule is tested.
        let tested = Set(["child-protection.test.rules", "looked-after.test.rules", "bottom-lines.test.rules"]
            .flatMap { Repo.read("rules/\($0)").split(separator: "\n") }
            .compactMap { line -> String? in
                let words = line.split(separator: " ")
                return words.first == "expect" && words.count > 1 ? String(words[1]) : nil
            })
        XCTAssertEqual(tested, Set(shippedRules.program!.rules.map(\.id)))
    }

    func testFailuresAreReported() {
        let text = """
            test "wrong amount"
              as of 2019-04-30
              case { case_id: "T1", section47: [ { strategy_discussion: 2019-03-04, icpc_required: true, icpc: 2019-03-26 } ] }
              expect icpc-timescale breached late by 2 working days

            test "expects nothing"
              as of 2019-04-30
              case { case_id: "T1" }

            test "unknown rule"
              as of 2019-04-30
              case { case_id: "T1" }
              expect icpc-timescal met

            test "no as of"
              case { case_id: "T1" }
              expect icpc-timescale met

            test "a rejected case"
              as of 2019-04-30
              case { case_id: 7 }
              expect referral-decision not_applicable
            """
        let report = run([("rules/x.test.rules", text)])
        XCTAssertEqual(report.results.map(\.passed), [false, false, false, false, false])
        XCTAssertEqual(report.diagnostics.map(\.code), [.testAssertsNothing, .unknownRule, .testCaseInvalid])
        XCTAssertTrue(report.results[0].failures[0].hasPrefix("expected: icpc-timescale breached late by 2 working days"))
        XCTAssertTrue(report.results[0].failures[0].contains("late by 1 working day"))
        XCTAssertTrue(report.results[4].failures[0].contains("should be text, found a number"))
        XCTAssertTrue(RuleTests.text(report).hasSuffix("0 passed, 5 failed\n"))
        XCTAssertFalse(report.succeeded)
    }
}
