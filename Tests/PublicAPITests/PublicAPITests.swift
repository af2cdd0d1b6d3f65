import BottomLine
import Foundation
import XCTest

/// Uses only the public API, the way another service would: load once, evaluate many times,
/// from many threads, and get findings as Swift values and as JSON.
final class PublicAPITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testLoadEvaluateAndRender() throws {
        let rules = RuleSet.load(paths: [Self.root.appendingPathComponent("rules").path])
        XCTAssertTrue(rules.isUsable, rules.renderDiagnostics())
        let snapshot = #"{"case_id": "C-1", "section47": [{"strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": "2019-03-28"}]}"#
        let report = rules.evaluate(json: Array(snapshot.utf8), file: "request", asOf: LocalDate(iso: "2019-04-30")!)
        let icpc = try XCTUnwrap(report.findings.first { $0.rule == "icpc-timescale" })
        XCTAssertEqual(icpc.outcome, .breached)
        XCTAssertEqual(icpc.due, LocalDate(iso: "2019-03-25"))
        XCTAssertEqual(icpc.lateBy, Amount(3, .workingDays))
        XCTAssertEqual(icpc.item, "section47[0]")
        let json = try JSONSerialization.jsonObject(with: Data(ReportJSON().render(report).utf8)) as? [String: Any]
        XCTAssertEqual(json?["cases_read"] as? Int, 1)
        let findings = json?["findings"] as? [[String: Any]]
        let first = findings?.first { $0["rule"] as? String == "icpc-timescale" }
        XCTAssertEqual(first?["outcome"] as? String, "breached")
        XCTAssertEqual((first?["late_by"] as? [String: Any])?["unit"] as? String, "working days")
    }

    func testRulesFromStringsWithDiagnostics() {
        let rules = RuleSet.load(sources: [("inline.rules", "rule x \"t\"\n  kind statutory\n  require true\n")])
        XCTAssertFalse(rules.isUsable)
        XCTAssertTrue(rules.diagnostics.map(\.code).contains(.missingSource))
        XCTAssertTrue(rules.renderDiagnostics().contains("inline.rules:1:6"))
    }

    func testSharedAcrossConcurrentRequests() async throws {
        let rules = RuleSet.load(paths: [Self.root.appendingPathComponent("rules").path])
        let asOf = LocalDate(iso: "2019-04-30")!
        let outcomes = try await withThrowingTaskGroup(of: [String].self) { group in
            for i in 0..<16 {
                group.addTask {
                    let day = String(format: "%02d", 1 + i % 20)
                    let json = #"{"case_id": "C-\#(i)", "referral": {"date": "2019-03-\#(day)", "decision_date": "2019-03-\#(day)"}}"#
                    return rules.evaluate(json: Array(json.utf8), file: "r\(i)", asOf: asOf).findings
                        .filter { $0.rule == "referral-decision" }.map(\.outcome.rawValue)
                }
            }
            var all: [[String]] = []
            for try await o in group { all.append(o) }
            return all
        }
        XCTAssertEqual(outcomes.count, 16)
        XCTAssertTrue(outcomes.allSatisfy { $0 == ["met"] })
    }
}
