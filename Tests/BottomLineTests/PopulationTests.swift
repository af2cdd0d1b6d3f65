import Foundation
import XCTest

@testable import BottomLine

/// Rules across cases with more than one aggregate, their groups spread over many batches and
/// threads: each group's outcome against an independent count made here.
final class PopulationTests: XCTestCase {
    static let rules = RuleSet.load(sources: [("t.rules", """
        schema case
          case_id: text
          team: text?
          child_id: text?
          hours: number?

        rule load "Team load"
          source "s"
          kind bottom-line
          across cases grouped by case.team as team
          require count of distinct case.child_id <= 3 and sum of case.hours <= 23
        """)])

    /// 90 cases over 5 teams, each about 60 bytes: some 6 batches of 1 KiB. Teams T0 to T4 have 1
    /// to 5 different children and 21 to 24 hours: T1 is breached by its hours alone, T3 and T4
    /// by their children.
    static let cases: [(id: String, team: String, child: String, hours: Int)] = (0..<90).map { k in
        (id: "C\(k)", team: "T\(k % 5)", child: "c\((k / 5) % (k % 5 + 1))", hours: (k % 7) / 2)
    }

    /// What each team's finding must be, counted here: distinct children and the sum of hours.
    static var expected: [String: Outcome] {
        var children: [String: Set<String>] = [:]
        var hours: [String: Int] = [:]
        for c in cases {
            children[c.team, default: []].insert(c.child)
            hours[c.team, default: 0] += c.hours
        }
        var out: [String: Outcome] = [:]
        for (team, distinct) in children { out[team] = distinct.count <= 3 && hours[team]! <= 23 ? .met : .breached }
        return out
    }

    static var ndjson: [UInt8] {
        Array(cases.map { #"{"case_id": "\#($0.id)", "team": "\#($0.team)", "child_id": "\#($0.child)", "hours": \#($0.hours)}"# }
            .joined(separator: "\n").utf8)
    }

    /// Team and outcome of each finding written by a streaming run.
    func streamed(threads: Int) throws -> [String: String] {
        let check = StreamingCheck(rules: Self.rules, asOf: date("2019-04-30"), show: .all, threads: threads, batchBytes: 1024,
            cores: threads)
        var state = check.start()
        var out: [UInt8] = []
        Self.ndjson.withUnsafeBufferPointer { check.run(file: "in.ndjson", bytes: $0, write: { out += $0 }, state: &state) }
        check.finish(&state, write: { out += $0 })
        XCTAssertEqual(state.casesRead, 90)
        var found: [String: String] = [:]
        for line in String(decoding: out, as: UTF8.self).split(separator: "\n") {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard let group = object["group"] as? [String: Any] else { continue }
            found[try XCTUnwrap(group["value"] as? String)] = object["outcome"] as? String
        }
        return found
    }

    func testGroupsWithTwoAggregatesAcrossBatchesAndThreads() throws {
        let expected = Self.expected.mapValues(\.rawValue)
        XCTAssertEqual(expected.count, 5)
        // As worked out by hand (see `cases`): a wrong count or sum shows.
        XCTAssertEqual(expected, ["T0": "met", "T1": "breached", "T2": "met", "T3": "breached", "T4": "breached"])
        XCTAssertEqual(try streamed(threads: 1), expected)
        XCTAssertEqual(try streamed(threads: 2), expected)
        XCTAssertEqual(try streamed(threads: 3), expected)
    }
}
