import XCTest
@testable import BottomLine

/// Lists read only inside a `for each` over another list (`DeferredFields`): which fields a
/// program defers, and a streaming reader that checks them as the full reader does (the same
/// rejections, word for word and place for place) but builds them only when a rule will read them.
final class DeferredFieldsTests: XCTestCase {
    /// Visits are read by the rule on plans (for each plan) and by the rule on placements (for
    /// each placement of the looked-after record); plans and placements come on either side of
    /// the visits, so one is known before the visits are reached and the other only after.
    let source = """
        schema case
          case_id: text
          plans: list of { start: date? }
          visits: list of { date: date?, seen_alone: bool?, worker: text?, score: number? }
          looked_after: { placements: list of { start: date? } }?
          notes: list of text
          summaries: list of date

        rule seen-on-plans "Seen while on a plan"
          source "s"
          kind bottom-line
          for each plan in case.plans
          require (count of case.visits where visit.seen_alone) >= 1

        rule seen-in-placements "Seen in placements"
          source "s"
          kind bottom-line
          for each placement in case.looked_after.placements
          require (count of case.visits where visit.date >= placement.start) >= 1

        rule summaries "Summaries kept"
          source "s"
          kind bottom-line
          require (count of case.summaries) >= 1
        """

    func program(_ source: String) throws -> CheckedProgram {
        let rs = RuleSet.load(sources: [("t.rules", source)])
        return try XCTUnwrap(rs.program, rs.renderDiagnostics())
    }

    /// The deferred fields by name, each with its guards as dotted paths.
    func deferred(_ p: CheckedProgram) -> [String: [String]] {
        let fields = p.schema.fields
        func name(_ g: DeferredFields.Guard) -> String {
            guard g.second >= 0, case .record(let r) = fields[g.first].type else { return fields[g.first].name }
            return fields[g.first].name + "." + r.fields[g.second].name
        }
        var out: [String: [String]] = [:]
        for (slot, guards) in DeferredFields(p).guards { out[fields[slot].name] = guards.map(name) }
        return out
    }

    func testFieldsReadOnlyInsideAForEachWaitForItsList() throws {
        // `notes` is read by no rule: never built. `summaries` and the lists of the `for each`
        // are read for every case.
        XCTAssertEqual(deferred(try program(source)), ["visits": ["plans", "looked_after.placements"], "notes": []])
    }

    func testAFieldReadOutsideAForEachIsNotDeferred() throws {
        let p = try program(source + """

            rule any-visit "Visited"
              source "s"
              kind bottom-line
              require (count of case.visits) >= 1
            """)
        XCTAssertEqual(deferred(p), ["notes": []])
    }

    func testARuleAcrossCasesReadsAtOnce() throws {
        let p = try program(source + """

            rule visit-dates "Visits on few days per case"
              source "s"
              kind bottom-line
              across cases grouped by case.case_id as id
              require count of distinct case.visits.date <= 10
            """)
        XCTAssertNil(deferred(p)["visits"])
    }

    /// The shipped rules read the visits only for protection plans and placements (worked out
    /// from the rules: `cp-visits` and `lac-visits`); every other list is read for every case.
    func testShippedRulesDeferOnlyTheVisits() throws {
        let p = try XCTUnwrap(shippedRules.program)
        XCTAssertEqual(deferred(p), ["visits": ["cp_plans", "looked_after.placements"]])
    }

    func results(_ reader: SnapshotReader, _ text: String) -> [SnapshotResult] {
        var out: [SnapshotResult] = []
        reader.read(Array(text.utf8), file: "in.json") { out.append($0) }
        return out
    }

    func visits(_ s: Snapshot, _ p: CheckedProgram) -> Value { s.record[p.schema.slot(of: "visits")!] }

    let someVisits = #"[{"date": "2019-01-02", "seen_alone": true, "worker": "W1", "score": 3}, {"date": "2019-02-03", "seen_alone": false, "worker": "W\"2\"", "score": null}]"#

    func testVisitsAreBuiltWhenAListBeforeOrAfterThemHasItems() throws {
        let p = try program(source)
        let full = SnapshotReader(schema: p.schema, idField: p.idField)
        let streaming = SnapshotReader(readingFor: p)
        let cases = [
            (#"{"case_id": "A", "plans": [{"start": "2019-01-01"}], "visits": \#(someVisits)}"#, true),  // known before
            (#"{"case_id": "B", "visits": \#(someVisits), "looked_after": {"placements": [{}]}}"#, true),  // known after
            (#"{"case_id": "C", "visits": \#(someVisits), "plans": [{"start": "2019-01-01"}]}"#, true),  // out of order
            (#"{"case_id": "D", "plans": [], "visits": \#(someVisits), "looked_after": {"placements": []}}"#, false),
            (#"{"case_id": "E", "visits": \#(someVisits), "looked_after": null}"#, false),
        ]
        for (text, built) in cases {
            guard case .accepted(let a)? = results(full, text).first, case .accepted(let b)? = results(streaming, text).first
            else {
                XCTFail("both readers accept \(text)")
                continue
            }
            if built {
                // Built in full: the visiting practitioner is still text no rule reads (an empty
                // stand-in), so compare the fields the rules read.
                guard case .list(let items) = visits(b, p), items.count == 2, case .record(let v1) = items[1] else {
                    XCTFail("visits built for \(text)")
                    continue
                }
                XCTAssertEqual(v1[0], .date(date("2019-02-03")), text)
                XCTAssertEqual(v1[1], .bool(false), text)
                XCTAssertEqual(v1[3], .absent, text)
            } else {
                XCTAssertEqual(visits(b, p), .list([]), text)
            }
            if case .list(let items) = visits(a, p) { XCTAssertEqual(items.count, 2) } else { XCTFail("full reader keeps the visits") }
        }
    }

    /// Wrong visits are rejected as the full reader rejects them, whether or not a rule would
    /// have read them (here no list they wait for has items).
    func testBadVisitsAreRejectedAsTheFullReaderRejectsThem() throws {
        let p = try program(source)
        let full = SnapshotReader(schema: p.schema, idField: p.idField)
        let streaming = SnapshotReader(readingFor: p)
        let inputs = [
            #"{"case_id": "C", "visits": [{"date": "2019-02-30"}]}"#,
            #"{"case_id": "C", "visits": [{"date": "30/01/2019"}]}"#,
            #"{"case_id": "C", "visits": [{"seen_alone": "yes"}]}"#,
            #"{"case_id": "C", "visits": [{"score": "3"}]}"#,
            #"{"case_id": "C", "visits": [null]}"#,
            #"{"case_id": "C", "visits": [{"date": "2019-01-02", "date": "2019-01-03"}]}"#,
            #"{"case_id": "C", "visits": [{"date": "2019-01-02"} {"date": "2019-01-03"}]}"#,
            #"{"case_id": "C", "visits": [{"date": "2019-01-02",}]}"#,
            #"{"case_id": "C", "visits": [{"worker": "a\qb"}]}"#,
            #"{"case_id": "C", "visits": [{"extra": [1, {"x": }]}]}"#,
            #"{"case_id": "C", "visits": {"date": "2019-01-02"}}"#,
            #"{"case_id": "C", "visits": ["2019-01-02"]}"#,
            #"{"case_id": "C", "visits": [{"date": "2019-01-02"}]"#,
            #"{"case_id": "C", "notes": ["a", 3]}"#,
        ]
        for text in inputs {
            let a = results(full, text)
            let b = results(streaming, text)
            XCTAssertEqual(a.count, 1, text)
            XCTAssertEqual(b.count, 1, text)
            guard case .rejected(let x)? = a.first, case .rejected(let y)? = b.first else {
                XCTFail("both readers reject \(text)")
                continue
            }
            XCTAssertEqual(x, y, text)
        }
        // Two of the messages, checked by hand.
        if case .rejected(let x)? = results(streaming, inputs[0]).first {
            XCTAssertEqual(x.message, "`case.visits[0].date` is not a real date: `2019-02-30`")
            XCTAssertEqual(x.column, 38)  // the opening quote of the date
        }
        if case .rejected(let x)? = results(streaming, inputs[4]).first {
            XCTAssertEqual(x.message, "`case.visits[0]` is null")
        }
    }

    /// Visits written unusually but correctly (unknown fields, fields out of order, spaces and
    /// line breaks, a number with an exponent) are accepted, deferred, and built the same when a
    /// rule reads them. A key with an escape is not checked quickly: those visits are read at
    /// once, as the full reader reads them.
    func testUnusualButCorrectVisitsAreAccepted() throws {
        let p = try program(source)
        let streaming = SnapshotReader(readingFor: p)
        let full = SnapshotReader(schema: p.schema, idField: p.idField)
        let plain = "[ {\"score\" : 1e2 ,\n \"extra\": {\"a\": [true, null]}, \"worker\": \"W\", \"date\": \"2019-01-02\" } , {} ]"
        let escaped = plain.replacingOccurrences(of: "score", with: "sc\\u006fre")
        for (visits, lists, built) in [(plain, #""plans": [], "#, false), (plain, #""plans": [{}], "#, true),
            (escaped, #""plans": [], "#, true)]
        {
            let text = "{\"case_id\": \"C\", \(lists)\"visits\": \(visits)}"
            guard case .accepted(let a)? = results(full, text).first, case .accepted(let b)? = results(streaming, text).first
            else { return XCTFail("both readers accept \(text)") }
            guard built else {
                XCTAssertEqual(self.visits(b, p), .list([]), text)
                continue
            }
            guard case .list(let x) = self.visits(a, p), case .list(let y) = self.visits(b, p), case .record(let r) = y[0]
            else { return XCTFail("visits built: \(text)") }
            XCTAssertEqual(x.count, 2, text)
            XCTAssertEqual(y.count, 2, text)
            XCTAssertEqual(r[0], .date(date("2019-01-02")), text)
            XCTAssertEqual(r[3], .number(100), text)
        }
    }

    /// Byte mutations of a case whose visits no rule reads: the streaming reader accepts and
    /// rejects exactly what the full reader does, with the same rejections, and the same values
    /// for every field but the deferred ones.
    func testMutationsAreJudgedAsTheFullReaderJudgesThem() throws {
        // Visits written plainly (checked in one pass by `skipPlainRecords`), and with an escape
        // in a text (checked field by field).
        try mutations(of: #"{"case_id": "C-1", "plans": [], "visits": [{"date": "2019-03-04", "seen_alone": true, "worker": "W1", "score": -1.5e2}, {"date": null}, {}], "notes": ["a"], "summaries": ["2019-04-10"]}"#)
        try mutations(of: #"{"case_id": "C-1", "plans": [], "visits": [{"date": "2019-03-04", "seen_alone": true, "worker": "W\u00e9", "score": -1.5e2}, {"date": null}], "notes": ["a"], "summaries": ["2019-04-10"]}"#)
    }

    /// The visits of the plain case above are checked in one pass, not field by field.
    func testPlainVisitsAreCheckedInOnePass() throws {
        let p = try program(source)
        let reader = SnapshotReader(readingFor: p)
        let text = #"[{"date": "2019-03-04", "seen_alone": true, "worker": "W1", "score": -1.5e2}, {"date": null}, {}] "#
        let bytes = Array(text.utf8)
        // (The plans are held by the reader's plan of the case, which the reader keeps.)
        guard case .deferred(let deferred) = reader.plan.plans[p.schema.slot(of: "visits")!],
            case .list(let list) = deferred.takeUnretainedValue().plan,
            case .record(let visit) = list.takeUnretainedValue().element
        else { return XCTFail("visits are a deferred list of records") }
        withExtendedLifetime(reader) { bytes.withUnsafeBufferPointer { b in
            var run = ReadRun(reader: reader, cursor: JSONCursor(b), file: "f")
            var c = run.cursor
            XCTAssertTrue(visit.takeUnretainedValue().plainKeys != nil)
            XCTAssertTrue(run.skipPlainRecords(visit.takeUnretainedValue(), &c))
            XCTAssertEqual(c.pos, text.utf8.count - 1)  // past the `]`
            // Not plain: a tab, a key out of order, an escape; the cursor does not move.
            for bad in [#"[{"date":\#t"2019-03-04"}]"#, #"[{"seen_alone": true, "date": "2019-03-04"}]"#, #"[{"worker": "a\"b"}]"#] {
                Array(bad.utf8).withUnsafeBufferPointer { b in
                    run = ReadRun(reader: reader, cursor: JSONCursor(b), file: "f")
                    var c = run.cursor
                    XCTAssertFalse(run.skipPlainRecords(visit.takeUnretainedValue(), &c), bad)
                    XCTAssertEqual(c.pos, 0, bad)
                }
            }
        } }
    }

    func mutations(of text: String) throws {
        let p = try program(source)
        let full = SnapshotReader(schema: p.schema, idField: p.idField)
        let streaming = SnapshotReader(readingFor: p)
        let valid = Array(text.utf8)
        let deferredSlots = Set(DeferredFields(p).guards.keys)
        var random = XorShift(seed: 0x2545F4914F6CDD1D)
        var accepted = 0
        var rejected = 0
        for _ in 0..<3000 {
            let input = random.mutate(valid, upTo: 2, from: XorShift.jsonBytes)
            var a: [SnapshotResult] = []
            var b: [SnapshotResult] = []
            full.read(input, file: "f") { a.append($0) }
            streaming.read(input, file: "f") { b.append($0) }
            let text = String(decoding: input, as: UTF8.self)
            XCTAssertEqual(a.count, b.count, text)
            for (x, y) in zip(a, b) {
                switch (x, y) {
                case (.rejected(let r), .rejected(let s)):
                    XCTAssertEqual(r, s, text)
                    rejected += 1
                case (.accepted(let r), .accepted(let s)):
                    XCTAssertEqual(r.caseID, s.caseID, text)
                    for slot in 0..<r.record.count where !deferredSlots.contains(slot) {
                        XCTAssertEqual(r.record[slot], s.record[slot], text)
                    }
                    accepted += 1
                default:
                    XCTFail("one reader accepts and the other rejects: \(text)")
                }
            }
        }
        // Both kinds were tried.
        XCTAssertGreaterThan(accepted, 100)
        XCTAssertGreaterThan(rejected, 1000)
    }

    /// End to end: a case whose visits wait for a plan gets findings from them when it has one,
    /// and none (not a finding judged on no visits) when it has none.
    func testStreamingFindingsAreTheFullReadersFindings() throws {
        let rules = RuleSet.load(sources: [("t.rules", source)])
        let input = """
            {"case_id": "A", "plans": [{"start": "2019-01-01"}], "visits": \(someVisits)}
            {"case_id": "B", "visits": \(someVisits), "looked_after": {"placements": [{"start": "2019-02-01"}]}}
            {"case_id": "C", "visits": \(someVisits)}

            """
        let check = StreamingCheck(rules: rules, asOf: date("2019-04-30"), show: .all)
        var state = check.start()
        var out: [UInt8] = []
        Array(input.utf8).withUnsafeBufferPointer { check.run(file: "in.ndjson", bytes: $0, write: { out += $0 }, state: &state) }
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        let met = lines.filter { $0.contains(#""outcome":"met""#) }
        // A's plan: one visit seen alone; B's placement: the visit on 2019-02-03. C: only the
        // rule on summaries (breached: none recorded).
        guard met.count == 2 else { return XCTFail("two rules met:\n" + lines.joined(separator: "\n")) }
        XCTAssertTrue(met[0].contains(#""rule":"seen-on-plans","case":"A""#))
        XCTAssertTrue(met[1].contains(#""rule":"seen-in-placements","case":"B""#))
        XCTAssertFalse(lines.contains { $0.contains(#""case":"C""#) && $0.contains("seen-") })
    }
}
