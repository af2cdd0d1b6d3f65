import Foundation
import XCTest
@testable import BottomLine

/// An occurrence of a schedule records its workings as parts (`OccurrenceWorkings`), written
/// into JSON straight from them; every other reader sees the trace events they stand for. The
/// oracle is the writer of trace events: a finding written from its parts must read exactly as
/// the same finding written from its events, compact and pretty, and be equal to it.
final class OccurrenceWorkingsTests: XCTestCase {
    /// Schedules of every shape (`scheduleShapesRules`), and one with a period end and a warning.
    let ended = """
        rule ended "A list of dates, until the case closes"
          source "test"
          kind bottom-line
          every 1 month from case.start
          by case.supervisions
          until case.closed
          warn 3 days before
        """

    let snapshots = """
        {"case_id": "T1", "start": "2019-01-01", "closed": null,
         "supervisions": ["2019-02-01", "2019-01-15", "2019-07-01", "2019-03-01", "2019-06-30"],
         "visits": [
           {"date": "2019-02-10", "seen_alone": true, "dates": ["2019-02-11", "2019-02-12"]},
           {"date": null, "seen_alone": true, "dates": ["2019-03-01"]},
           {"date": "2019-03-05", "dates": []},
           {"date": "2019-04-01", "seen_alone": true, "dates": ["2019-04-02"]}],
         "plans": [{"start": "2019-01-01", "reviews": ["2019-03-01", "2019-02-01"]},
                   {"start": "2019-02-01", "reviews": []}]}
        {"case_id": "T2", "start": "2019-01-10", "closed": "2019-05-20", "supervisions": ["2019-03-01"],
         "visits": [], "plans": []}
        {"case_id": "T3", "start": null, "supervisions": [], "visits": [], "plans": [{"start": null, "reviews": []}]}
        {"case_id": "T4", "start": "2019-01-31", "closed": null, "supervisions": ["2019-03-10"], "visits": [], "plans": []}
        """

    /// The rule sets the tests run and their inputs: the shipped rules on the example cases, and
    /// the schedules above (every shape, and `ended`) on `snapshots` (objects over several lines,
    /// read whole: not NDJSON).
    func rulesAndInputs() throws -> [(rules: RuleSet, inputs: [(file: String, bytes: [UInt8])])] {
        let test = RuleSet.load(sources: [("shapes.rules", scheduleShapesRules), ("ended.rules", ended)])
        XCTAssertTrue(test.isUsable, test.renderDiagnostics())
        var examples: [(file: String, bytes: [UInt8])] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: Repo.path("examples/cases")).sorted() {
            examples.append((name, Array(try Data(contentsOf: URL(fileURLWithPath: Repo.path("examples/cases/" + name))))))
        }
        return [(shippedRules, examples), (test, [("t.json", Array(snapshots.utf8))])]
    }

    /// Every finding of the shipped rules on the example cases, and of the schedules above, at
    /// several dates: written from its parts, it reads as written from its events; and so it does
    /// with the rule's steps rendered beforehand (`ReportJSON.RuleFields`).
    func testWrittenFromPartsReadsAsWrittenFromEvents() throws {
        var occurrences = 0
        var withItemPaths = 0
        var (renderedEvents, renderedEnds, renderedAsOf) = (0, 0, 0)
        var (renderedDatedEvents, renderedPrevious, renderedShifts, shiftsNotRendered) = (0, 0, 0, 0)
        var renderedWorkingDayShifts = 0
        let runs = try rulesAndInputs()
        for (rules, inputs) in runs {
            for asOf in ["2019-02-20", "2019-04-30", "2019-06-30", "2021-01-01"] {
                for explaining in [FindingFilter.all, .actionable] {
                    let report = rules.evaluate(inputs: inputs, asOf: date(asOf), explaining: explaining)
                    for f in report.findings {
                        guard case .occurrence(let o) = f.recorded else { continue }
                        occurrences += 1
                        if case .item = o.eventStep.path { withItemPaths += 1 }
                        var asEvents = f
                        asEvents.recorded = .events(f.trace)
                        XCTAssertEqual(f, asEvents)
                        XCTAssertEqual(f.workings, asEvents.workings)
                        for pretty in [false, true] {
                            var a = JSONWriter(pretty: pretty)
                            var b = JSONWriter(pretty: pretty)
                            ReportJSON().write(f, &a)
                            ReportJSON().write(asEvents, &b)
                            XCTAssertEqual(a.string, b.string, "\(f.rule) \(f.caseID) \(f.occurrence ?? 0)")
                        }
                        // With the rule's fields and steps rendered beforehand, as a streaming run writes it.
                        let rule = try XCTUnwrap(rules.program?.rules.first { $0.id == f.rule })
                        let fields = ReportJSON().ruleFields(rule, asOf: date(asOf))
                        var a = JSONWriter()
                        var b = JSONWriter()
                        ReportJSON().write(f, &a, ruleFields: fields)
                        ReportJSON().write(asEvents, &b)
                        XCTAssertEqual(a.string, b.string, "\(f.rule) \(f.caseID) \(f.occurrence ?? 0), rendered steps")
                        var scratch = JSONWriter()
                        if fields.writeRendered(event: o.event, of: o.schedule, &scratch) {
                            if o.event == nil { renderedEvents += 1 } else { renderedDatedEvents += 1 }
                        }
                        if let p = o.previous, fields.writeRendered(previous: p, of: o.schedule, &scratch) { renderedPrevious += 1 }
                        if let shift = o.shift {
                            if withUnsafePointer(to: shift, { fields.writeRendered(shift: $0, &scratch) }) {
                                renderedShifts += 1
                                if case .shift(_, _, _?, _, _, _) = shift { renderedWorkingDayShifts += 1 }
                            } else {
                                shiftsNotRendered += 1
                            }
                        }
                        if o.event == nil, fields.writeRenderedOpenEnd(of: o.schedule, &scratch) { renderedEnds += 1 }
                        if let d = o.asOf, fields.writeRendered(asOf: d, &scratch) { renderedAsOf += 1 }
                    }
                }
            }
        }
        // The comparison is of something: occurrences recorded as parts, with paths given by parts.
        XCTAssertGreaterThan(occurrences, 200)
        XCTAssertGreaterThan(withItemPaths, 100)
        // Steps rendered beforehand were written, of each kind.
        XCTAssertGreaterThan(renderedEvents, 50)
        XCTAssertGreaterThan(renderedEnds, 20)
        XCTAssertGreaterThan(renderedAsOf, 50)
        // And steps rendered around their dates: events, previous events, and intervals' steps
        // (calendar arithmetic and working days); some intervals' steps are not (an earlier
        // interval of a schedule, a step that skipped a holiday).
        XCTAssertGreaterThan(renderedDatedEvents, 50)
        XCTAssertGreaterThan(renderedPrevious, 50)
        XCTAssertGreaterThan(renderedShifts, 100)
        XCTAssertGreaterThan(renderedWorkingDayShifts, 20)
        XCTAssertGreaterThan(shiftsNotRendered, 10)
    }

    /// A streaming run writes each finding it shows at once (`FindingWriter`): an occurrence of a
    /// schedule straight from its parts, never made into a `Finding`. The oracle is the library:
    /// every finding it makes for the same inputs, shown by the same filter and written by
    /// `ReportJSON` from the `Finding` (with the rule's fields rendered beforehand, as a streaming
    /// run writes them), in the same order, line for line.
    func testStreamingWritesTheFindingsTheLibraryMakes() throws {
        let runs = try rulesAndInputs()
        var (compared, occurrences, open, clamped) = (0, 0, 0, 0)
        for (rules, inputs) in runs {
            let program = try XCTUnwrap(rules.program)
            let acrossCases = Set(program.rules.filter(\.isPopulation).map(\.id))
            for asOf in ["2019-02-20", "2019-04-30", "2019-09-30", "2021-01-01"] {
                for show in [FindingFilter.actionable, .all] {
                    let check = StreamingCheck(rules: rules, asOf: date(asOf), show: show, threads: 1, batchBytes: 1 << 20, cores: 1)
                    var state = check.start()
                    var out: [UInt8] = []
                    for input in inputs {
                        var chunks = [input.bytes]
                        check.run(file: input.file, splitLines: input.file.hasSuffix(".ndjson"), read: { chunks.isEmpty ? [] : chunks.removeFirst() },
                            write: { out += $0 }, state: &state)
                    }
                    let streamed = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
                        .filter { line in line.hasPrefix("{\"rule\":") && !acrossCases.contains { line.hasPrefix("{\"rule\":\"\($0)\"") } }

                    let report = rules.evaluate(inputs: inputs, asOf: date(asOf), explaining: show)
                    var expected: [String] = []
                    for f in report.findings where show.keeps(f) && !acrossCases.contains(f.rule) {
                        let rule = try XCTUnwrap(program.rules.first { $0.id == f.rule })
                        var w = JSONWriter()
                        ReportJSON().write(f, &w, ruleFields: ReportJSON().ruleFields(rule, asOf: date(asOf)))
                        expected.append(w.string)
                        // (A month's step from the 31st: not the step rendered for the rule.)
                        if w.string.contains("no such day in that month") { clamped += 1 }
                        if case .occurrence = f.recorded {
                            occurrences += 1
                            if f.outcome.isOpen { open += 1 }
                        }
                    }
                    XCTAssertEqual(streamed.count, expected.count, "\(asOf) \(show)")
                    for (a, b) in zip(streamed, expected) where a != b {
                        XCTFail("\(asOf) \(show):\n\(a)\n\(b)")
                        break
                    }
                    compared += expected.count
                }
            }
        }
        // The comparison is of something: occurrences of schedules, open ones among them, one whose
        // step clamps a day to the end of its month, and others.
        XCTAssertGreaterThan(occurrences, 300)
        XCTAssertGreaterThan(open, 30)
        XCTAssertGreaterThan(clamped, 0)
        XCTAssertGreaterThan(compared - occurrences, 50)
    }

    /// A path given by parts is written as the text it stands for, escaped where a part needs it.
    /// Workings of a schedule are made again in place only when nothing else holds them: held
    /// by a finding (as the library's findings hold them), new ones are made, and the held ones
    /// keep their parts.
    func testWorkingsAreMadeAgainInPlaceOnlyWhenNothingElseHoldsThem() throws {
        let rules = RuleSet.load(sources: [("shapes.rules", scheduleShapesRules), ("ended.rules", ended)])
        XCTAssertTrue(rules.isUsable, rules.renderDiagnostics())
        let program = try XCTUnwrap(rules.program)
        guard case .schedule(let schedule) = try XCTUnwrap(program.rules.first { $0.id == "ended" }).form else { return XCTFail("a schedule") }
        func make(_ spare: inout ScheduleWorkings?, _ day: Int, list: String) -> ScheduleWorkings {
            ScheduleWorkings.make(reusing: &spare, startTrace: nil, baseTrace: [], conditions: [],
                end: ScheduleWorkings.End(date: LocalDate(year: 2019, month: 5, day: day), path: nil), schedule: schedule,
                fromList: true, listText: list, nodes: [])
        }
        var spare: ScheduleWorkings?
        let first = make(&spare, 1, list: "case.first")
        XCTAssertNil(spare)
        // Held by `first` (a finding) as well as handed back: new workings are made.
        spare = first
        let second = make(&spare, 2, list: "case.second")
        XCTAssertFalse(first === second)
        XCTAssertEqual(first.end?.date, LocalDate(year: 2019, month: 5, day: 1))
        XCTAssertEqual(first.list?.text, "case.first")
        XCTAssertEqual(second.end?.date, LocalDate(year: 2019, month: 5, day: 2))
        // Handed back and held by nothing else: made again in place, with the new parts.
        // (Watched weakly: workings freed and new ones made at the same address would pass a
        // comparison of addresses.)
        weak let handedBack = second
        spare = consume second
        let third = make(&spare, 3, list: "case.third")
        XCTAssertTrue(handedBack === third)
        XCTAssertNil(spare)
        XCTAssertEqual(third.end?.date, LocalDate(year: 2019, month: 5, day: 3))
        XCTAssertEqual(third.list?.text, "case.third")
        XCTAssertFalse(third.recordsStart)
    }

    func testPathsFromPartsAreWrittenAsTheirText() throws {
        let cases: [(String, Int, String)] = [
            ("case.visits", 12, "date"), ("case.supervisions", 0, ""), ("case.only", -1, ""), ("case.x", -1, "date"),
            ("case.\"quoted\"", 3, "da\\te"), ("a long list path past eight bytes", 1_234_567, "field\n"), ("", 7, ""),
        ]
        for (list, index, field) in cases {
            let text = EventPath.join(list, index, field)
            XCTAssertEqual(EventPath.item(list: list, index: index, field: field).text, text)
            var l = list
            var f = field
            let written: String = l.withUTF8 { lp in
                f.withUTF8 { fp in
                    let bound = EventPath.quotedBound(list: lp.count, field: fp.count)
                    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bound)
                    defer { p.deallocate() }
                    let n = EventPath.writeQuoted(lp, index, fp, to: p)
                    XCTAssertLessThanOrEqual(n, bound)
                    return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                }
            }
            let read = try JSONSerialization.jsonObject(with: Data(("[" + written + "]").utf8)) as? [String]
            XCTAssertEqual(read, [text], written)
        }
        XCTAssertEqual(EventPath.join("case.visits", 12, "date"), "case.visits[12].date")
        XCTAssertEqual(EventPath.join("case.only", -1, ""), "case.only")
    }
}
