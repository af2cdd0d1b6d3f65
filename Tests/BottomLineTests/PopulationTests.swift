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

/// Many groups with many values, added case by case (the library), in batches (a streaming run on
/// one and two threads) and by merging accumulators: every group's distinct count against sets
/// counted here, through tables that grow many times over (see `GroupTable`); and a second rule
/// whose distinct values come second, several to a case.
final class ManyGroupsTests: XCTestCase {
    static let rules = RuleSet.load(sources: [("t.rules", """
        schema case
          case_id: text
          team: text?
          child_id: text?
          helpers: list of text

        rule load "Team load"
          source "s"
          kind bottom-line
          across cases grouped by case.team as team
          require count of distinct case.child_id <= 5

        rule helpers "Team helpers"
          source "s"
          kind bottom-line
          across cases grouped by case.team as team
          require count of case.case_id >= 1 and count of distinct case.helpers <= 2
        """)])

    /// 3,000 cases over 701 groups named short and long, in and out of ASCII (and one named by
    /// nothing at all: an empty name), children repeated within groups, and some cases with no
    /// child or no team.
    typealias Case = (id: String, team: String?, child: String?, helpers: [String])

    static let cases: [Case] = (0..<3000).map { k in
        let g = k % 701
        let team: String? = k % 97 == 0 ? nil
            : g == 0 ? ""
            : g % 3 == 0 ? "T\(g)" : g % 3 == 1 ? "A team whose name is longer than sixteen bytes \(g)" : "Équipe \(g) ✓"
        let child: String? = k % 89 == 0 ? nil : "child-\((k * 7) % (k % 13 + 1))-\(g % 5)"
        // One helper for every case of a group; two others, one of them twice, in one case out of seven.
        let helpers = ["h\(g % 4)"] + (k % 7 == 0 ? ["x\(k % 3)", "x\((k + 1) % 3)", "x\(k % 3)"] : [])
        return (id: "C\(k)", team: team, child: child, helpers: helpers)
    }

    /// Each team's distinct children, counted with sets.
    static var expected: [String: Int] {
        var children: [String: Set<String>] = [:]
        for c in cases {
            guard let team = c.team else { continue }
            if let child = c.child { children[team, default: []].insert(child) } else { children[team, default: []] = children[team] ?? [] }
        }
        return children.mapValues(\.count)
    }

    /// Each team's outcome for `helpers`: its distinct helpers counted with sets.
    static var expectedHelpers: [String: String] {
        var helpers: [String: Set<String>] = [:]
        for c in cases {
            guard let team = c.team else { continue }
            helpers[team, default: []].formUnion(c.helpers)
        }
        return helpers.mapValues { $0.count <= 2 ? "met" : "breached" }
    }

    static func line(_ c: Case) -> String {
        let team = c.team.map { #""\#($0)""# } ?? "null"
        let child = c.child.map { #""\#($0)""# } ?? "null"
        let helpers = c.helpers.map { #""\#($0)""# }.joined(separator: ", ")
        return #"{"case_id": "\#(c.id)", "team": \#(team), "child_id": \#(child), "helpers": [\#(helpers)]}"#
    }

    static func ndjson(_ cases: ArraySlice<Case>) -> [UInt8] {
        Array(cases.map(line).joined(separator: "\n").utf8)
    }

    /// Each group's count for `load`, from findings (the group's name and the requirement's
    /// value); and each group's outcome for `helpers`.
    func counts(_ findings: [Finding]) -> (load: [String: Int], helpers: [String: String]) {
        var load: [String: Int] = [:]
        var helpers: [String: String] = [:]
        for f in findings where f.reason == nil || f.outcome != .incomplete {
            guard let g = f.group else { continue }
            if f.rule == "load" { load[g.value] = f.value.map { Int($0) } } else { helpers[g.value] = f.outcome.rawValue }
        }
        return (load, helpers)
    }

    func testEveryGroupCountedWhateverTheWayCasesArrive() throws {
        let expected = Self.expected
        XCTAssertEqual(expected.count, 701)
        XCTAssertEqual(expected[""], Set(Self.cases.filter { $0.team == "" }.compactMap(\.child)).count)
        let expectedHelpers = Self.expectedHelpers
        XCTAssertEqual(Set(expectedHelpers.values), ["met", "breached"])
        let asOf = date("2019-04-30")

        // The library: each case added to its group as it is read.
        let report = Self.rules.evaluate(json: Self.ndjson(Self.cases[...]), file: "in.ndjson", asOf: asOf)
        XCTAssertEqual(counts(report.findings).load, expected)
        XCTAssertEqual(counts(report.findings).helpers, expectedHelpers)

        // Two accumulators, each of half the cases, merged.
        let program = try XCTUnwrap(Self.rules.program)
        let reader = SnapshotReader(schema: program.schema, idField: program.idField)
        func accumulated(_ cases: ArraySlice<Case>) -> PopulationAccumulator {
            var acc = PopulationAccumulator(program: program, asOf: asOf)
            reader.read(Self.ndjson(cases), file: "in.ndjson") { if case .accepted(let s) = $0 { acc.add(s) } }
            return acc
        }
        var merged = accumulated(Self.cases[..<1700])
        merged.merge(accumulated(Self.cases[1700...]))
        XCTAssertEqual(counts(merged.finish()).load, expected)
        XCTAssertEqual(counts(merged.finish()).helpers, expectedHelpers)

        // A streaming run: cases listed by batch, each batch's added to the run's.
        for threads in [1, 2] {
            let check = StreamingCheck(rules: Self.rules, asOf: asOf, show: .all, threads: threads, batchBytes: 4096, cores: threads)
            var state = check.start()
            var out: [UInt8] = []
            let bytes = Self.ndjson(Self.cases[...])
            bytes.withUnsafeBufferPointer { check.run(file: "in.ndjson", bytes: $0, write: { out += $0 }, state: &state) }
            check.finish(&state, write: { out += $0 })
            var found: [String: Int] = [:]
            var helpers: [String: String] = [:]
            for line in String(decoding: out, as: UTF8.self).split(separator: "\n") {
                let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                guard let group = object["group"] as? [String: Any], let name = group["value"] as? String else { continue }
                if object["rule"] as? String == "load", let value = object["value"] as? Double { found[name] = Int(value) }
                if object["rule"] as? String == "helpers", object["reason"] == nil { helpers[name] = object["outcome"] as? String }
            }
            XCTAssertEqual(found, expected, "\(threads) threads")
            XCTAssertEqual(helpers, expectedHelpers, "\(threads) threads")
        }
    }
}
