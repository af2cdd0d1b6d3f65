import Foundation
import XCTest
@testable import BottomLine

/// Outcomes of the deadline and condition forms, absence, three-valued logic, params that change
/// on a date, selections. Expected dates are worked out by hand from a printed 2019 calendar
/// (Good Friday 19 April, Easter Monday 22 April).
final class EvaluationTests: XCTestCase {
    let icpc = """
        use calendar test-calendar
        rule icpc "Conference within 15 working days"
          source "WT 2018"
          kind statutory
          for each enquiry in case.section47
          applies when enquiry.icpc_required
          due enquiry.strategy_discussion + 15 working days
          done enquiry.icpc
          warn 3 working days before
        """

    func run(_ rules: String, _ json: String, asOf: String) -> [Finding] {
        let rs = loadWithPrelude(rules)
        XCTAssertTrue(rs.isUsable, rs.renderDiagnostics())
        let report = rs.evaluate(json: Array(json.utf8), file: "t.json", asOf: date(asOf))
        XCTAssertEqual(report.rejected, [], "\(report.rejected)")
        return report.findings
    }

    func enquiry(_ strategy: String?, required: Bool? = true, icpc: String? = nil) -> String {
        func q(_ s: String?) -> String { s.map { "\"\($0)\"" } ?? "null" }
        let r = required.map { String($0) } ?? "null"
        return #"{"case_id": "T1", "section47": [{"strategy_discussion": \#(q(strategy)), "icpc_required": \#(r), "icpc": \#(q(icpc))}]}"#
    }

    /// A count by outcome is added to in place, in its own lane and no other.
    func testCountsByOutcomeAddToTheirOwnLane() {
        var counts = SIMD8<Int>(10, 20, 30, 40, 50, 60, 70, 80)
        for lane in 0..<8 {
            for _ in 0...lane { counts.increment(lane: lane) }
        }
        XCTAssertEqual(counts, SIMD8<Int>(11, 22, 33, 44, 55, 66, 77, 88))
        // A sink that only counts what it does not keep: the outcomes that need no action.
        var sink = FindingSink(explaining: .actionable, tallyOnly: true)
        let counted = Outcome.allCases.filter { !FindingFilter.actionable.keeps($0) }
        XCTAssertEqual(Set(counted), [.met, .notApplicable])
        for o in counted + [.met] { sink.add(o) { fatalError("a finding only counted is not made") } }
        XCTAssertEqual(sink.findings.count, 0)
        var expected = SIMD8<Int>()
        expected[Outcome.met.index] = 2
        expected[Outcome.notApplicable.index] = 1
        XCTAssertEqual(sink.tallies, expected)
    }

    func testAnItemTakenFromItsListLeavesAbsentBehind() {
        let visit = Value.record(RecordValue(fields: [.date(LocalDate(year: 2019, month: 3, day: 4)!), .bool(true)]))
        var items = [Evaluated(value: .text("first"), path: nil), Evaluated(value: visit, path: ValuePath.root)]
        let taken = items.take(1)
        XCTAssertEqual(taken.value, visit)
        XCTAssertNotNil(taken.path)
        XCTAssertEqual(items[1].value, .absent)
        XCTAssertNil(items[1].path)
        XCTAssertEqual(items[0].value, .text("first"))
        XCTAssertEqual(items.count, 2)
    }

    /// Where only findings that need action are explained, a finding noticed in the fast pass is
    /// made again with its workings from its own item of the list (here the third, after one met),
    /// and the finding made without workings names its item as a traced one does.
    func testAnItemShownIsExplainedFromItsOwnPlaceInTheList() {
        let json = #"""
            {"case_id": "T1", "section47": [
              {"strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": "2019-03-28"},
              {"strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": "2019-03-20"},
              {"strategy_discussion": "2019-03-11", "icpc_required": true, "icpc": null}]}
            """#
        let rs = loadWithPrelude(icpc)
        func findings(_ shown: FindingFilter) -> [Finding] {
            rs.evaluate(inputs: [("t.json", Array(json.utf8))], asOf: date("2019-04-30"), explaining: shown).findings
        }
        let all = findings(.all)
        // Due Mon 25 Mar 2019 for the first two; for the third, 15 working days after Mon 11 Mar.
        XCTAssertEqual(all.map(\.outcome), [.breached, .met, .overdue])
        XCTAssertEqual(all.map { $0.due?.description }, ["2019-03-25", "2019-03-25", "2019-04-01"])
        XCTAssertEqual(all.map(\.item), ["section47[0]", "section47[1]", "section47[2]"])
        let explained = findings(.actionable)
        XCTAssertEqual(explained.map(\.item), ["section47[0]", "section47[1]", "section47[2]"])
        XCTAssertEqual(explained.filter { $0.outcome != .met }, all.filter { $0.outcome != .met })
        XCTAssertFalse(explained[2].trace.isEmpty)
        XCTAssertTrue(explained[1].trace.isEmpty, "a met finding is not explained")
    }

    func testDeadlineOutcomes() {
        // Strategy discussion Mon 4 Mar 2019 + 15 working days = Mon 25 Mar 2019.
        let table: [(String, String, Outcome, String?, Amount?, Amount?)] = [
            // (icpc held, as of, outcome, due, late by, time left)
            ("2019-03-25", "2019-04-30", .met, "2019-03-25", nil, nil),  // met on the last possible day
            ("2019-03-26", "2019-04-30", .breached, "2019-03-25", Amount(1, .workingDays), nil),  // one day late
            ("2019-03-28", "2019-04-30", .breached, "2019-03-25", Amount(3, .workingDays), nil),
        ]
        for (held, asOf, outcome, due, late, left) in table {
            let f = run(icpc, enquiry("2019-03-04", icpc: held), asOf: asOf)
            XCTAssertEqual(f.count, 1)
            XCTAssertEqual(f[0].outcome, outcome, held)
            XCTAssertEqual(f[0].due?.description, due)
            XCTAssertEqual(f[0].lateBy, late, held)
            XCTAssertEqual(f[0].timeLeft, left, held)
            XCTAssertEqual(f[0].item, "section47[0]")
        }
    }

    func testOpenDeadlineOutcomes() {
        let table: [(String, Outcome, Amount?, Amount?)] = [
            ("2019-03-26", .overdue, Amount(1, .workingDays), nil),  // the day after the due date
            ("2019-03-25", .dueSoon, nil, Amount(0, .workingDays)),  // on the due date
            ("2019-03-20", .dueSoon, nil, Amount(3, .workingDays)),  // first day of the warning window
            ("2019-03-19", .pending, nil, Amount(4, .workingDays)),  // the day before it
        ]
        for (asOf, outcome, late, left) in table {
            let f = run(icpc, enquiry("2019-03-04"), asOf: asOf)
            XCTAssertEqual(f[0].outcome, outcome, asOf)
            XCTAssertEqual(f[0].lateBy, late, asOf)
            XCTAssertEqual(f[0].timeLeft, left, asOf)
        }
    }

    func testNotApplicableAndIncomplete() {
        XCTAssertEqual(run(icpc, enquiry("2019-03-04", required: false), asOf: "2019-04-30")[0].outcome, .notApplicable)
        let missingFlag = run(icpc, enquiry("2019-03-04", required: nil), asOf: "2019-04-30")[0]
        XCTAssertEqual(missingFlag.outcome, .incomplete)
        XCTAssertEqual(missingFlag.missing, ["case.section47[0].icpc_required"])
        let missingDate = run(icpc, enquiry(nil), asOf: "2019-04-30")[0]
        XCTAssertEqual(missingDate.outcome, .incomplete)
        XCTAssertEqual(missingDate.missing, ["case.section47[0].strategy_discussion"])
        XCTAssertEqual(missingDate.reason, "not recorded: `case.section47[0].strategy_discussion`")
    }

    func testAcrossEaster() {
        // Wed 10 Apr 2019 + 15 working days skips Good Friday and Easter Monday: Fri 3 May 2019.
        let f = run(icpc, enquiry("2019-04-10", icpc: "2019-05-03"), asOf: "2019-05-31")[0]
        XCTAssertEqual(f.outcome, .met)
        XCTAssertEqual(f.due?.description, "2019-05-03")
        let step = f.workings.first { $0.step == "+ 15 working days" }
        XCTAssertEqual(step?.note, "skipped Good Friday (2019-04-19), Easter Monday (2019-04-22); counting from the next day")
        XCTAssertEqual(step?.from, "calendar test-calendar")
    }

    func testOutsideCalendarIsIncomplete() {
        let f = run(icpc, enquiry("2019-12-20"), asOf: "2019-12-31")[0]
        XCTAssertEqual(f.outcome, .incomplete)
        XCTAssertEqual(f.reason, "counting from `case.section47[0].strategy_discussion`: calendar `test-calendar` covers 2019-01-01 to 2019-12-31 and has no holidays for 2020")
    }

    func testCountingStartDayAsDayOne() {
        // Mon 4 Mar counted as day 1: the 15th working day is Fri 22 Mar.
        let rules = icpc + "\n  counting the start day as day 1\n"
        let f = run(rules, enquiry("2019-03-04", icpc: "2019-03-25"), asOf: "2019-04-30")[0]
        XCTAssertEqual(f.due?.description, "2019-03-22")
        XCTAssertEqual(f.outcome, .breached)
        XCTAssertEqual(f.workings.first { $0.step == "+ 15 working days" }?.note, "no holidays in range; the start day counts as day 1")
    }

    func testCalendarDayLatenessAndMonths() {
        let rules = """
            rule sup "Supervision within a month of the referral"
              source "s"
              kind bottom-line
              due case.referral.date + 1 month
              done earliest case.supervisions
            """
        // 31 Jan + 1 month = 28 Feb 2019 (no 31 Feb); supervision on 2 Mar is 2 days late.
        let f = run(rules, #"{"case_id": "T", "referral": {"date": "2019-01-31"}, "supervisions": ["2019-03-02", "2019-03-10"]}"#, asOf: "2019-04-30")[0]
        XCTAssertEqual(f.due?.description, "2019-02-28")
        XCTAssertEqual(f.outcome, .breached)
        XCTAssertEqual(f.lateBy, Amount(2, .days))
        XCTAssertEqual(f.workings.first { $0.step == "+ 1 month" }?.note, "no such day in that month, so its last day is used")
        XCTAssertEqual(f.workings.first { $0.step.hasPrefix("earliest") }?.from, "case.supervisions[0]")
    }

    /// A duration taken away (`- 2 days`, `- 1 working day`) moves the date back, in the fast
    /// pass that only counts, the one that stops at a finding to show, and the traced one: worked
    /// out by hand from a 2019 calendar (Mon 4 Mar − 2 days = Sat 2 Mar; − 1 working day = Fri
    /// 1 Mar; Wed 10 Apr + 15 working days = Fri 3 May, over Easter, − 2 days = Wed 1 May).
    func testATakenAwayDurationMovesTheDateBack() throws {
        func rule(_ due: String) -> String {
            """
            use calendar test-calendar
            rule early "Decided before the referral"
              source "s"
              kind bottom-line
              due \(due)
              done case.referral.decision_date
            """
        }
        func referral(_ date: String, decided: String) -> String {
            #"{"case_id": "T", "referral": {"date": "\#(date)", "decision_date": "\#(decided)"}}"#
        }
        let table: [(String, String, String, String, Outcome)] = [
            // (due, referral, decided, due date, outcome)
            ("case.referral.date - 2 days", "2019-03-04", "2019-03-02", "2019-03-02", .met),
            ("case.referral.date - 2 days", "2019-03-04", "2019-03-03", "2019-03-02", .breached),
            ("case.referral.date - 1 working day", "2019-03-04", "2019-03-01", "2019-03-01", .met),
            ("case.referral.date - 1 working day", "2019-03-04", "2019-03-02", "2019-03-01", .breached),
            ("case.referral.date + 15 working days - 2 days", "2019-04-10", "2019-05-01", "2019-05-01", .met),
            ("case.referral.date + 15 working days - 2 days", "2019-04-10", "2019-05-02", "2019-05-01", .breached),
        ]
        for (due, date, decided, dueDate, outcome) in table {
            let rs = loadWithPrelude(rule(due))
            XCTAssertTrue(rs.isUsable, rs.renderDiagnostics())
            let program = try XCTUnwrap(rs.program)
            let rule = try XCTUnwrap(program.rules.first { $0.id == "early" })
            var snapshots: [Snapshot] = []
            SnapshotReader(schema: program.schema, idField: program.idField).read(Array(referral(date, decided: decided).utf8), file: "t.json") {
                if case .accepted(let s) = $0 { snapshots.append(s) }
            }
            let snapshot = try XCTUnwrap(snapshots.first)
            let what = "\(due), decided \(decided)"
            let asOf = LocalDate(year: 2019, month: 6, day: 28)!
            var expected = SIMD8<Int>()
            expected[outcome.index] = 1
            // The fast pass, counting only.
            var fast = FindingSink(explaining: .counts, tallyOnly: true)
            evaluate(rule, program: program, snapshot: snapshot, asOf: asOf, into: &fast)
            XCTAssertEqual(fast.tallies, expected, what)
            // Showing the findings that need action: counted, or made again traced.
            var shown = FindingSink(explaining: .actionable, tallyOnly: true)
            evaluate(rule, program: program, snapshot: snapshot, asOf: asOf, into: &shown)
            XCTAssertEqual(shown.findings.map(\.outcome), outcome == .met ? [] : [outcome], what)
            XCTAssertEqual(shown.findings.first?.due?.description, outcome == .met ? nil : dueDate, what)
            // Traced.
            var traced = FindingSink(explaining: .all)
            evaluate(rule, program: program, snapshot: snapshot, asOf: asOf, into: &traced)
            XCTAssertEqual(traced.findings.map(\.outcome), [outcome], what)
            XCTAssertEqual(traced.findings.first?.due?.description, dueDate, what)
        }
    }

    func testLateOnAWeekendIsCountedInDays() {
        // Due Fri 22 Mar 2019 (Mon 4 Mar, start day counted); held Sat 23 Mar: no working day between.
        let rules = icpc + "\n  counting the start day as day 1\n"
        let f = run(rules, enquiry("2019-03-04", icpc: "2019-03-23"), asOf: "2019-04-30")[0]
        XCTAssertEqual(f.outcome, .breached)
        XCTAssertEqual(f.lateBy, Amount(1, .days))
    }

    func testConditionFormAndThreeValuedLogic() {
        func rule(_ req: String) -> String {
            "use calendar test-calendar\nrule c \"c\"\n  source \"s\"\n  kind bottom-line\n  require \(req)\n"
        }
        let json = #"{"case_id": "T", "child": {"id": "C1"}, "visits": [{"date": "2019-03-01", "seen_alone": true}, {"date": "2019-03-08", "seen_alone": false}, {"date": "2019-03-15"}]}"#
        let table: [(String, Outcome)] = [
            ("case.child.id is present", .met),
            ("case.child.birth_date is present", .breached),
            ("case.child.birth_date < 2019-01-01", .incomplete),
            ("case.child.birth_date < 2019-01-01 or true", .met),
            ("case.child.birth_date < 2019-01-01 and false", .breached),
            ("(count of case.visits where visit.seen_alone) = 1", .met),
            ("(count of case.visits where not visit.seen_alone) = 1", .met),
            ("count of case.visits = 3", .met),
            ("latest case.visits.date = 2019-03-15", .met),
            ("(latest (case.visits where visit.seen_alone).date) = 2019-03-01", .met),
            ("count of distinct case.visits.date = 3", .met),
            ("working days from 2019-04-18 to 2019-04-23 = 1", .met),
            ("days from 2019-04-18 to 2019-04-23 = 5", .met),
        ]
        for (req, outcome) in table {
            let f = run(rule(req), json, asOf: "2019-04-30")
            XCTAssertEqual(f.first?.outcome, outcome, req)
        }
    }

    func testUndecidedItemsAreListedInWorkings() {
        let rules = "rule c \"c\"\n  source \"s\"\n  kind bottom-line\n  require (count of case.visits where visit.seen_alone) >= 1\n"
        let f = run(rules, #"{"case_id": "T", "visits": [{"date": "2019-03-01", "seen_alone": true}, {"date": "2019-03-15"}]}"#, asOf: "2019-04-30")[0]
        XCTAssertEqual(f.outcome, .met)
        let left = f.workings.first { $0.step.hasPrefix("left out of") }
        XCTAssertEqual(left?.value, "1 item")
        XCTAssertEqual(left?.from, "case.visits[1]")
    }

    /// An aggregate's workings name the list as every item's path, `[*]` at each of the list's
    /// own positions: not the first item's path when a `where` left the first items out, not
    /// `[*]` at the position of a `for each` item, and `[*]` at both positions of a list of lists.
    func testAggregateWorkingsNameEveryItem() {
        let source = """
            schema case
              case_id: text
              visits: list of { date: date?, seen_alone: bool? }
              plans: list of { reviews: list of date }

            rule seen "Seen alone at least once"
              source "s"
              kind bottom-line
              require (count of case.visits where visit.seen_alone) >= 1

            rule reviewed "Each plan has a review"
              source "s"
              kind bottom-line
              for each plan in case.plans
              require count of plan.reviews >= 1

            rule all-reviews "Reviews across every plan"
              source "s"
              kind bottom-line
              require count of case.plans.reviews >= 3
            """
        let rs = RuleSet.load(sources: [("t.rules", source)])
        XCTAssertTrue(rs.isUsable, rs.renderDiagnostics())
        let json = #"{"case_id": "T", "visits": [{"date": "2019-03-01", "seen_alone": false}, {"date": "2019-03-08", "seen_alone": true}], "plans": [{"reviews": ["2019-01-01", "2019-02-01"]}, {"reviews": ["2019-03-01"]}]}"#
        let report = rs.evaluate(json: Array(json.utf8), file: "t.json", asOf: date("2019-04-30"))
        let counted = report.findings.map { f in f.workings.first { $0.note?.hasSuffix("considered") == true }?.from }
        XCTAssertEqual(counted, ["case.visits[*]", "case.plans[0].reviews[*]", "case.plans[1].reviews[*]", "case.plans[*].reviews[*]"])
        XCTAssertEqual(report.findings.map(\.outcome), [.met, .met, .met, .met])
    }

    func testDatedParam() {
        let rules = """
            param limit = 3
              from 2019-04-01 = 2
            rule c "c"
              source "s"
              kind bottom-line
              require count of case.visits <= limit
            """
        let json = #"{"case_id": "T", "visits": [{"date": "2019-03-01"}, {"date": "2019-03-02"}, {"date": "2019-03-03"}]}"#
        XCTAssertEqual(run(rules, json, asOf: "2019-03-31")[0].outcome, .met)
        let after = run(rules, json, asOf: "2019-04-01")[0]
        XCTAssertEqual(after.outcome, .breached)
        XCTAssertEqual(after.workings.first { $0.step == "limit" }?.note, "value in force from 2019-04-01")
        XCTAssertEqual(after.workings.first { $0.step == "limit" }?.value, "2")
    }

    /// A fast pass may stop at an open schedule occurrence only when every outcome it could turn
    /// out to have is shown (so a traced pass will certainly follow), and only in a fast pass.
    func testOpenOccurrenceIsNoticedOnlyWhenItWillBeShown() {
        var fast = FindingSink(explaining: .actionable, tallyOnly: true)
        fast.deferKept = true
        XCTAssertTrue(fast.noticeOpenOccurrence())
        XCTAssertTrue(fast.noticedKept)
        var counts = FindingSink(explaining: .counts, tallyOnly: true)
        counts.deferKept = true
        XCTAssertFalse(counts.noticeOpenOccurrence())
        XCTAssertFalse(counts.noticedKept)
        var traced = FindingSink(explaining: .actionable, tallyOnly: true)
        XCTAssertFalse(traced.noticeOpenOccurrence())
        XCTAssertFalse(traced.noticedKept)
    }

    func testFindingsAreInRuleThenItemOrderAndDeterministic() {
        let json = #"{"case_id": "T1", "section47": [{"strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": "2019-03-20"}, {"strategy_discussion": "2019-03-11", "icpc_required": false}]}"#
        let a = run(icpc, json, asOf: "2019-04-30")
        let b = run(icpc, json, asOf: "2019-04-30")
        XCTAssertEqual(a.map(\.item), ["section47[0]", "section47[1]"])
        XCTAssertEqual(a.map(\.itemLabel), ["section 47 enquiry 1", "section 47 enquiry 2"])
        XCTAssertEqual(a, b)
    }
}

/// A recurring rule whose next occurrence falls outside the calendar is `incomplete` for that
/// occurrence, after the occurrences that could be judged.
final class ScheduleCalendarTests: XCTestCase {
    func testOccurrenceOutsideTheCalendar() {
        let rules = loadWithPrelude("""
            use calendar test-calendar
            rule v "Visits"
              source "s"
              kind bottom-line
              every 10 working days from case.referral.date
              by case.visits.date
            """)
        let report = rules.evaluate(json: Array(#"{"case_id": "T", "referral": {"date": "2019-12-16"}, "visits": [{"date": "2019-12-20"}]}"#.utf8),
            file: "t", asOf: date("2019-12-31"))
        XCTAssertEqual(report.findings.map(\.outcome), [.met, .incomplete])
        XCTAssertEqual(report.findings.last?.occurrence, 2)
        XCTAssertEqual(report.findings.last?.workings.first?.step, "previous date")
        // The previous event, by hand: the visit on 20 December, the list's first.
        XCTAssertEqual(report.findings.last?.workings.first?.value, "2019-12-20")
        XCTAssertEqual(report.findings.last?.workings.first?.from, "case.visits[0].date")
        XCTAssertTrue(report.findings.last?.reason?.contains("has no holidays for 2020") ?? false)
    }

    /// A monthly schedule counted past the years of the month table (1901–2099), where months are
    /// added by counting through the calendar: 1900 and 2100 are not leap years, so a month after
    /// 31 January is 28 February. Due dates worked out by hand.
    func testMonthlyScheduleBeyondTheMonthTable() {
        let rules = loadWithPrelude("""
            rule m "Monthly supervision"
              source "s"
              kind bottom-line
              every 1 month from case.referral.date
              by case.supervisions
            """)
        // 31 Oct 2099 + 1 month = 30 Nov 2099 (met that day); + 1 month = 30 Dec 2099 (breached:
        // done 31 Jan 2100); 31 Jan 2100 + 1 month = 28 Feb 2100 (overdue on 20 April).
        let late = rules.evaluate(json: Array(#"{"case_id": "T", "referral": {"date": "2099-10-31"}, "supervisions": ["2099-11-30", "2100-01-31"]}"#.utf8),
            file: "t", asOf: date("2100-04-20"))
        XCTAssertEqual(late.findings.map(\.outcome), [.met, .breached, .overdue])
        XCTAssertEqual(late.findings.map(\.due), ["2099-11-30", "2099-12-30", "2100-02-28"].map(date))
        // The workings' step of the month added reads the same.
        XCTAssertEqual(late.findings.map { $0.workings.first { $0.step == "+ 1 month" }?.value }, ["2099-11-30", "2099-12-30", "2100-02-28"])
        // 31 Jan 1900 + 1 month = 28 Feb 1900; + 1 month from the supervision on 1 March = 1 April.
        let early = rules.evaluate(json: Array(#"{"case_id": "T", "referral": {"date": "1900-01-31"}, "supervisions": ["1900-03-01"]}"#.utf8),
            file: "t", asOf: date("1900-04-10"))
        XCTAssertEqual(early.findings.map(\.outcome), [.breached, .overdue])
        XCTAssertEqual(early.findings.map(\.due), ["1900-02-28", "1900-04-01"].map(date))
        XCTAssertEqual(early.findings.map { $0.workings.first { $0.step == "+ 1 month" }?.value }, ["1900-02-28", "1900-04-01"])
    }

    /// A period that ends before its first occurrence is due: the rule did not apply, and the
    /// workings show the start and the period's end, and nothing else. The same in a streaming
    /// run, which writes the finding at once (`FindingWriter`).
    func testPeriodEndedBeforeAnythingWasDue() throws {
        let rules = loadWithPrelude("""
            rule m "Monthly until decided"
              source "s"
              kind bottom-line
              every 1 month from case.referral.date
              by case.supervisions
              until case.referral.decision_date
            """)
        let json = #"{"case_id": "T", "referral": {"date": "2019-01-10", "decision_date": "2019-01-20"}, "supervisions": []}"#
        let report = rules.evaluate(json: Array(json.utf8), file: "t", asOf: date("2019-04-30"))
        // By hand: due 10 February, after the end on 20 January.
        XCTAssertEqual(report.findings.map(\.outcome), [.notApplicable])
        let f = try XCTUnwrap(report.findings.first)
        XCTAssertEqual(f.due, date("2019-02-10"))
        XCTAssertEqual(f.workings.map(\.value), ["2019-01-10", "2019-01-20"])
        XCTAssertEqual(f.workings.map(\.from), ["case.referral.date", "case.referral.decision_date"])

        let check = StreamingCheck(rules: rules, asOf: date("2019-04-30"), show: .all, threads: 1, batchBytes: 1 << 20, cores: 1)
        var state = check.start()
        var out: [UInt8] = []
        var chunks = [Array((json + "\n").utf8)]
        check.run(file: "t.ndjson", read: { chunks.isEmpty ? [] : chunks.removeFirst() }, write: { out += $0 }, state: &state)
        let line = try XCTUnwrap(String(decoding: out, as: UTF8.self).split(separator: "\n").first)
        let written = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(written["outcome"] as? String, "not_applicable")
        let steps = try XCTUnwrap(written["workings"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["from"] as? String }, ["case.referral.date", "case.referral.decision_date"])
    }
}

/// Outcomes are decided first without tracing, where a field of the case or of a `for each`
/// item (or a field of one of their fields) is read in one step rather than field by field; the
/// traced pass reads it field by field. Both must decide every finding alike: for each shipped
/// rule (rules across cases aside), on a full case and on variants with each field, and each
/// field of a field, left out or null, at two as-of dates, the outcomes counted without tracing
/// are those of the traced findings; and showing only the actionable findings (a fast pass that
/// stops at the first one to show, then a traced pass for that case or item) counts the same and
/// shows the same findings.
final class FastPassAgreesWithTracedPassTests: XCTestCase {
    static var full: [String: Any] { [
        "case_id": "C-1",
        "child": ["id": "CH-1", "birth_date": "2012-05-01"],
        "worker": ["id": "SW-1", "team": "Team 1"],
        "referral": ["date": "2025-01-06", "decision_date": "2025-01-08"],
        "closure_date": "2025-11-28",
        "assessments": [["start": "2025-01-06", "authorised": "2025-03-20", "child_seen_alone": true]],
        "section47": [["strategy_discussion": "2025-01-10", "icpc_required": true, "icpc": "2025-02-07"]],
        "cp_plans": [["start": "2025-02-07", "reviews": ["2025-05-01"], "core_groups": ["2025-02-20"]]],
        "visits": [["date": "2025-02-10", "seen_alone": true, "worker": "SW-1"], ["date": "2025-03-03", "seen_alone": false]],
        "looked_after": ["start": "2025-04-01", "placements": [["start": "2025-04-01"]], "reviews": ["2025-04-25"], "health_assessments": []],
        "supervisions": ["2025-02-01", "2025-04-02"],
        "case_summaries": ["2025-03-30"],
    ] }

    /// The full case, and for each field and each field of a field: left out, and null.
    static var variants: [[String: Any]] {
        var out = [full]
        for (key, value) in full where key != "case_id" {
            var without = full
            without[key] = nil
            var null = full
            null[key] = NSNull()
            out += [without, null]
            guard let record = value as? [String: Any] else { continue }
            for inner in record.keys {
                var r = record
                r[inner] = nil
                var v = full
                v[key] = r
                r[inner] = NSNull()
                var n = full
                n[key] = r
                out += [v, n]
            }
        }
        return out
    }

    func testOutcomesAgree() throws {
        let program = try XCTUnwrap(shippedRules.program)
        let reader = SnapshotReader(schema: program.schema, idField: program.idField)
        var snapshots: [Snapshot] = []
        for v in Self.variants {
            let bytes = try JSONSerialization.data(withJSONObject: v)
            reader.read(Array(bytes), file: "t.json") { if case .accepted(let s) = $0 { snapshots.append(s) } }
        }
        XCTAssertEqual(snapshots.count, Self.variants.count)
        var compared = 0
        var rulesWithFieldsLeftOut = Set<String>()
        for asOf in [date("2025-06-30"), date("2025-12-31")] {
            for snapshot in snapshots {
                for rule in program.rules {
                    if case .population = rule.form { continue }
                    var fast = FindingSink(explaining: .counts, tallyOnly: true)
                    evaluate(rule, program: program, snapshot: snapshot, asOf: asOf, into: &fast)
                    var traced = FindingSink(explaining: .all)
                    evaluate(rule, program: program, snapshot: snapshot, asOf: asOf, into: &traced)
                    var tracedCounts = SIMD8<Int>()
                    for f in traced.findings { tracedCounts[f.outcome.index] += 1 }
                    XCTAssertEqual(fast.tallies, tracedCounts, "\(rule.id), \(snapshot.record.fields)")
                    // Showing the actionable findings: a fast pass that stops at the first one to
                    // show, then a traced pass for the item; the same counts, and the same findings.
                    var shown = FindingSink(explaining: .actionable, tallyOnly: true)
                    evaluate(rule, program: program, snapshot: snapshot, asOf: asOf, into: &shown)
                    var shownCounts = shown.tallies
                    for f in shown.findings { shownCounts[f.outcome.index] += 1 }
                    XCTAssertEqual(shownCounts, tracedCounts, "\(rule.id), \(snapshot.record.fields)")
                    XCTAssertEqual(shown.findings, traced.findings.filter { $0.outcome.isActionable }, rule.id)
                    compared += 1
                    if traced.findings.contains(where: { $0.outcome == .incomplete || $0.outcome == .notApplicable }) {
                        rulesWithFieldsLeftOut.insert(rule.id)
                    }
                }
            }
        }
        XCTAssertEqual(compared, 2 * Self.variants.count * program.rules.filter { if case .population = $0.form { false } else { true } }.count)
        // The variants reach the outcomes that fields left out lead to, in half the rules and more.
        XCTAssertGreaterThanOrEqual(rulesWithFieldsLeftOut.count, 6, "\(rulesWithFieldsLeftOut)")
    }

    /// `is present` and `is absent` of a field of the case, of a field of a field, and of a field
    /// of a `for each` item (looked at where it lies when nothing is traced) decide as the traced
    /// pass does, for a value, null, a field left out, false, an empty record and no record:
    /// outcomes worked out by hand from the cases below.
    func testPresenceUntracedAgreesWithTraced() throws {
        func rule(_ id: String, _ forEach: String, _ require: String) -> String {
            "rule \(id) \"\(id)\"\n  source \"s\"\n  kind bottom-line\n\(forEach)  require \(require)\n\n"
        }
        let each = "  for each enquiry in case.section47\n"
        let rules = rule("child", "", "case.child is present") + rule("child-id", "", "case.child.id is present")
            + rule("no-referral-date", "", "case.referral.date is absent") + rule("no-icpc", each, "enquiry.icpc is absent")
            + rule("icpc-required-known", each, "enquiry.icpc_required is present")
            // A list: present when it has items (A: two; B: left out; C: empty).
            + rule("enquiries", "", "case.section47 is present") + rule("no-supervisions", "", "case.supervisions is absent")
        let cases = [
            #"{"case_id": "A", "child": {"id": "C1"}, "referral": {"date": "2019-03-01"}, "section47": [{"strategy_discussion": "2019-03-04", "icpc_required": true}, {"icpc_required": false, "icpc": "2019-03-20"}]}"#,
            #"{"case_id": "B", "child": null, "section47": [{"icpc_required": null, "icpc": null}], "supervisions": null}"#,
            #"{"case_id": "C", "child": {}, "referral": {}, "section47": [], "supervisions": ["2019-03-01"]}"#,
        ]
        // By rule, then case: the outcome of each finding (one per enquiry for the last two).
        let expected: [String: [[Outcome]]] = [
            "child": [[.met], [.breached], [.met]],
            "child-id": [[.met], [.breached], [.breached]],
            "no-referral-date": [[.breached], [.met], [.met]],
            "no-icpc": [[.met, .breached], [.met], []],
            "icpc-required-known": [[.met, .met], [.breached], []],
            "enquiries": [[.met], [.met], [.breached]],
            "no-supervisions": [[.met], [.met], [.breached]],
        ]
        let rs = loadWithPrelude(rules)
        let program = try XCTUnwrap(rs.program, rs.renderDiagnostics())
        let reader = SnapshotReader(schema: program.schema, idField: program.idField)
        var snapshots: [Snapshot] = []
        for json in cases { reader.read(Array(json.utf8), file: "t.json") { if case .accepted(let s) = $0 { snapshots.append(s) } } }
        XCTAssertEqual(snapshots.count, cases.count)
        for rule in program.rules {
            let outcomes = try XCTUnwrap(expected[rule.id], rule.id)
            for (k, snapshot) in snapshots.enumerated() {
                var traced = FindingSink(explaining: .all)
                evaluate(rule, program: program, snapshot: snapshot, asOf: date("2019-04-30"), into: &traced)
                XCTAssertEqual(traced.findings.map(\.outcome), outcomes[k], "\(rule.id), case \(k)")
                var fast = FindingSink(explaining: .counts, tallyOnly: true)
                evaluate(rule, program: program, snapshot: snapshot, asOf: date("2019-04-30"), into: &fast)
                var counted = SIMD8<Int>()
                for o in outcomes[k] { counted[o.index] += 1 }
                XCTAssertEqual(fast.tallies, counted, "\(rule.id), case \(k), untraced")
            }
        }
    }
}

/// What a sink keeps of where the snapshot being evaluated was read.
final class FindingSinkTests: XCTestCase {
    /// A sink gives the location it was last told, whole, from one file's snapshots to
    /// another's (it keeps the file's name apart, set only when it changes).
    func testSinkGivesTheLocationLastSet() {
        var sink = FindingSink(explaining: .actionable, tallyOnly: true)
        XCTAssertNil(sink.location)
        let a = SnapshotLocation(file: "first-council-export.ndjson", line: 3, index: 2)
        let b = SnapshotLocation(file: "second-council-export.ndjson", line: 7, index: 0)
        for l in [a, SnapshotLocation(file: a.file, line: 9, index: 8), b, a] {
            sink.location = l
            XCTAssertEqual(sink.location, l)
        }
        sink.location = nil
        XCTAssertNil(sink.location)
    }
}
