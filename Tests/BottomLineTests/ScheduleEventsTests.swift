import XCTest
@testable import BottomLine

/// A schedule's events read by `ScheduleEventsPlan` (dates and list positions, paths made only
/// when asked) must be exactly what `forEachItem` gives (dates with their paths): the same
/// events in the same order, the same paths, the same trace (items a `where` cannot decide).
/// `forEachItem` is the oracle; the shapes the plan does not take must fall back to it.
final class ScheduleEventsTests: XCTestCase {
    let source = scheduleShapesRules

    /// Visits out of date order, one after the as-of date and one on it, one with no date, two
    /// whose `seen_alone` is not recorded (a `where` on it cannot decide them); a supervision on
    /// the as-of date (which counts: events on or before it have happened).
    let snapshot = """
        {"case_id": "T1", "start": "2019-01-01",
         "supervisions": ["2019-02-01", "2019-01-15", "2019-07-01", "2019-03-01", "2019-06-30"],
         "visits": [
           {"date": "2019-02-10", "seen_alone": true, "dates": ["2019-02-11", "2019-02-12"]},
           {"date": "2019-01-20", "seen_alone": false, "dates": []},
           {"date": null, "seen_alone": true, "dates": ["2019-03-01"]},
           {"date": "2019-03-05", "dates": []},
           {"date": "2019-08-01", "seen_alone": true, "dates": ["2019-09-01"]},
           {"date": "2018-12-01", "seen_alone": false, "dates": []},
           {"date": "2019-04-01", "dates": ["2019-04-02"]},
           {"date": "2019-06-30", "seen_alone": true, "dates": []}],
         "plans": [{"start": "2019-01-01", "reviews": ["2019-03-01", "2019-02-01"]},
                   {"start": "2019-02-01", "reviews": []},
                   {"start": "2019-03-01", "reviews": ["2019-05-01", "2019-04-01", "2019-09-09"]}]}
        """

    let asOf = date("2019-06-30")

    func load() -> (CheckedProgram, Snapshot) {
        let rs = RuleSet.load(sources: [("t.rules", source)])
        XCTAssertTrue(rs.isUsable, rs.renderDiagnostics())
        var snapshot: Snapshot?
        SnapshotReader(schema: rs.program!.schema, idField: "case_id").read(Array(self.snapshot.utf8), file: "t.json") {
            if case .accepted(let s) = $0 { snapshot = s } else { XCTFail("\($0)") }
        }
        return (rs.program!, snapshot!)
    }

    func schedule(_ rule: CheckedRule) -> CompiledSchedule {
        guard case .schedule(let s) = rule.form else { fatalError("\(rule.id) is not a schedule") }
        return s
    }

    func testWhichShapesThePlanTakes() {
        let (program, _) = load()
        // (rule, has a plan, its date field, filtered, filtered by a yes/no field read directly)
        let table: [(String, Bool, String?, Bool, Bool)] = [
            ("dates", true, nil, false, false),
            ("projected", true, "date", false, false),
            ("filtered", true, "date", true, true),
            ("filtered-general", true, "date", true, false),
            ("per-item", true, nil, false, false),
            ("nested", false, nil, false, false),  // a list in each record: forEachItem flattens it
        ]
        XCTAssertEqual(program.rules.map(\.id), table.map(\.0))
        for (rule, (id, planned, field, filtered, direct)) in zip(program.rules, table) {
            let plan = schedule(rule).eventsPlan
            XCTAssertEqual(plan != nil, planned, id)
            XCTAssertEqual(plan?.field?.name, field, id)
            XCTAssertEqual(plan?.selection != nil, filtered, id)
            XCTAssertEqual(plan?.selection?.conditionField != nil, direct, id)
        }
    }

    func testThePlanReadsWhatForEachItemReads() {
        let (program, snapshot) = load()
        var checked = 0
        for rule in program.rules {
            guard let plan = schedule(rule).eventsPlan else { continue }
            let items = rule.forEach == nil ? 1 : 3
            for item in 0..<items {
                for tracing in [true, false] {
                    var ev = ExpressionEvaluator(program: program, rule: rule, asOf: asOf, caseRecord: snapshot.record)
                    func begin() {
                        ev.start(rule, caseRecord: snapshot.record, tracing: tracing)
                        if let forEach = rule.forEach { ev.locals[0] = ev.evalList(forEach.list)[item] }
                    }
                    begin()
                    var expected: [(LocalDate, String?)] = []
                    let asOf = self.asOf
                    ev.forEachItem(schedule(rule).events) { _, e in
                        guard case .date(let d) = e.value, d <= asOf else { return }
                        expected.append((d, e.path?.text))
                    }
                    let expectedTrace = ev.trace
                    begin()
                    let list = ScheduleEventList()
                    let (fromList, listPath, _) = plan.read(&ev, asOf: asOf, into: list)
                    let events = list.all
                    let label = "\(rule.id) item \(item) tracing \(tracing)"
                    XCTAssertEqual(fromList, tracing, label)
                    XCTAssertEqual(events.map(\.date), expected.map(\.0), label)
                    XCTAssertEqual(events.map { e in fromList ? eventPath(plan, e, listPath: listPath, of: schedule(rule)) : nil }, expected.map(\.1), label)
                    XCTAssertEqual(ev.trace, expectedTrace, label)
                    XCTAssertEqual(expected.isEmpty, rule.id == "per-item" && item == 1, label)
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 2 * (4 + 3))
    }

    /// Events read without a plan (a list of lists, flattened) name their own paths in the
    /// workings, worked out by hand: occurrence 4 is due 2019-04-01, a month after the event of
    /// 1 March (the only date of visit 2), and met late by the event of 2 April (visit 6's).
    func testEventsReadWithoutAPlanNameTheirPaths() throws {
        let rs = RuleSet.load(sources: [("t.rules", source)])
        let report = rs.evaluate(json: Array(snapshot.utf8), file: "t.json", asOf: asOf)
        let nested = report.findings.filter { $0.rule == "nested" }
        XCTAssertEqual(nested.map(\.outcome), [.breached, .met, .met, .breached, .overdue])
        let fourth = try XCTUnwrap(nested.first { $0.occurrence == 4 })
        XCTAssertEqual(fourth.due, date("2019-04-01"))
        XCTAssertEqual(fourth.workings.first { $0.value == "2019-03-01" }?.from, "case.visits[2].dates[0]")
        XCTAssertEqual(fourth.workings.first { $0.value == "2019-04-02" }?.from, "case.visits[6].dates[0]")
        let first = try XCTUnwrap(nested.first { $0.occurrence == 1 })
        XCTAssertEqual(first.workings.first { $0.value == "2019-02-11" }?.from, "case.visits[0].dates[0]")
    }

    /// The events and paths worked out by hand, so that plan and oracle cannot both be wrong.
    func testEventsAndPathsByHand() {
        let (program, snapshot) = load()
        let expected: [String: [String]] = [
            // On or before 30 June 2019, in list order (the schedule sorts them).
            "dates": ["2019-02-01 case.supervisions[0]", "2019-01-15 case.supervisions[1]", "2019-03-01 case.supervisions[3]",
                "2019-06-30 case.supervisions[4]"],
            "projected": ["2019-02-10 case.visits[0].date", "2019-01-20 case.visits[1].date", "2019-03-05 case.visits[3].date",
                "2018-12-01 case.visits[5].date", "2019-04-01 case.visits[6].date", "2019-06-30 case.visits[7].date"],
            "filtered": ["2019-02-10 case.visits[0].date", "2019-06-30 case.visits[7].date"],
            "filtered-general": ["2019-01-20 case.visits[1].date"],
        ]
        for rule in program.rules {
            guard let want = expected[rule.id], let plan = schedule(rule).eventsPlan else { continue }
            var ev = ExpressionEvaluator(program: program, rule: rule, asOf: asOf, caseRecord: snapshot.record)
            ev.start(rule, caseRecord: snapshot.record, tracing: true)
            let list = ScheduleEventList()
            let (fromList, listPath, _) = plan.read(&ev, asOf: asOf, into: list)
            let events = list.all
            XCTAssertTrue(fromList, rule.id)
            XCTAssertEqual(events.map { "\($0.date) \(eventPath(plan, $0, listPath: listPath, of: schedule(rule)))" }, want, rule.id)
            // Visits 3 and 6 have no `seen_alone`: the filter on it cannot decide them.
            if rule.id == "filtered" {
                XCTAssertEqual(ev.trace, [.undecided(label: "visits where seen alone", paths: ["case.visits[3]", "case.visits[6]"])])
            }
        }
    }
}

/// The text of the path `event`, read by `plan` from the list at `listPath` (nil: the list's path
/// made when compiled), is written with in the workings (as `ScheduleWorkings` names it).
private func eventPath(_ plan: ScheduleEventsPlan, _ event: ScheduleEvent, listPath: ValuePath?, of schedule: CompiledSchedule) -> String {
    let workings = ScheduleWorkings(
        startTrace: [], baseTrace: [], conditions: [], end: nil, schedule: schedule,
        fromList: true, listText: plan.list.fixedPath == nil ? listPath?.text : nil, nodes: [])
    return workings.path(of: event)?.text ?? "(no path)"
}

/// The room a schedule's events are read into (`ScheduleEventList`): appended in order past its
/// first room, emptied keeping nothing of before, sorted by date as an array sorts them (events
/// of the same date in the order read).
final class ScheduleEventListTests: XCTestCase {
    func testAppendGrowEmptyAndSort() {
        let list = ScheduleEventList(capacity: 2)
        XCTAssertTrue(list.isEmpty)
        XCTAssertNil(list.last)
        let day = { (n: Int32) in LocalDate(dayNumber: n) }
        // More than its room: it grows, keeping every event in order.
        let dates: [Int32] = [30, 10, 20, 10, 40, 20, 5]
        var expected: [ScheduleEvent] = []
        for (i, d) in dates.enumerated() {
            let e = ScheduleEvent(date: day(d), index: i)
            list.append(e)
            expected.append(e)
        }
        XCTAssertEqual(list.count, 7)
        XCTAssertEqual(list.all.map(\.index), Array(0..<7))
        XCTAssertEqual(list[4].date, day(40))
        XCTAssertEqual(list.last?.index, 6)
        // Sorted by date as an array is sorted: the same order, the same dates kept in the order read.
        expected.sort { $0.date < $1.date }
        list.sortByDate()
        XCTAssertEqual(list.all.map(\.index), expected.map(\.index))
        XCTAssertEqual(list.all.map(\.index), [6, 1, 3, 2, 5, 0, 4])
        // Emptied: nothing of before is seen, and it fills again from the start.
        list.removeAll()
        XCTAssertTrue(list.isEmpty)
        XCTAssertNil(list.last)
        list.append(ScheduleEvent(date: day(1), index: 9))
        XCTAssertEqual(list.all.map(\.index), [9])
        XCTAssertEqual(list[0].date, day(1))
    }
}
