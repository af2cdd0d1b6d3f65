import XCTest
@testable import BottomLine

/// Lists of records written as exporters write them are built in one pass (`readPlainRecords`):
/// the same values, and the same place after the list, as the general reader (`readRecords`), or
/// nothing at all, the cursor not moved, for the general reader to read (with its errors).
final class PlainRecordsTests: XCTestCase {
    /// Every plain kind (a text the rule reads, `note`, and one it does not: read as empty), a
    /// required field, and keys of 17–24 bytes (`"strategy_discussion":`, 22 bytes, is compared
    /// as three words).
    let source = """
        schema case
          case_id: text
          meetings: list of {
            strategy_discussion: date?,
            held: bool?,
            note: text?,
            score: number?,
            required_field_name: text
          }

        rule r "R"
          source "s"
          kind bottom-line
          require (count of case.meetings where meeting.note = "x") >= 0
        """

    func meetingsPlan(_ reader: SnapshotReader) throws -> RecordPlan {
        let p = try XCTUnwrap(RuleSet.load(sources: [("t.rules", source)]).program)
        guard case .list(let list) = reader.plan.plans[p.schema.slot(of: "meetings")!],
            case .record(let r) = list.takeUnretainedValue().element
        else {
            XCTFail("meetings are a list of records")
            throw CancellationError()
        }
        return r.takeUnretainedValue()
    }

    func reader() throws -> SnapshotReader {
        let p = try XCTUnwrap(RuleSet.load(sources: [("t.rules", source)]).program)
        return SnapshotReader(readingFor: p)
    }

    /// What each reader makes of `text` (a list, at its `[`): the value and where it ends, or
    /// the error; nil for the plain pass when it gave up (then it must not have moved).
    func both(_ text: String, _ reader: SnapshotReader, _ plan: RecordPlan, _ run: ReadRun? = nil)
        -> (plain: (Value, Int)?, general: Result<(Value, Int), any Error>)
    {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            let run = run ?? ReadRun(reader: reader, cursor: JSONCursor(b), file: "f")
            var c = JSONCursor(b)
            var plain: (Value, Int)?
            if let v = run.readPlainRecords(plan, &c) { plain = (v, c.pos) } else { XCTAssertEqual(c.pos, 0, text) }
            // The general reader, as `readValue` calls it: past the `[` and blanks, an empty list itself.
            var g = JSONCursor(b)
            let general = Result<(Value, Int), any Error> {
                g.pos += 1
                g.skipWhitespace()
                if g.byte == 0x5D { return (.list([]), g.pos + 1) }
                let v = try run.readRecords(plan, &g)
                return (v, g.pos)
            }
            return (plain, general)
        }
    }

    func testPlainListsReadAsTheGeneralReaderReadsThem() throws {
        let reader = try reader()
        let plan = try meetingsPlan(reader)
        XCTAssertNotNil(plan.plainKeys)
        let lists = [
            "[]",
            "[ ]",
            #"[{"required_field_name": "a"}]"#,
            #"[{"strategy_discussion": "2019-03-04", "held": true, "note": "x", "score": -1.5e2, "required_field_name": "a"}]"#,
            #"[{"strategy_discussion": null, "held": false, "note": null, "score": 0, "required_field_name": ""}, {"held": true, "required_field_name": "b"} ]"#,
            #"[{"note": "caf\#u{e9}", "required_field_name": "\#u{1F600}"}, {"score": 12, "required_field_name": "c"}]"#,
            // Compact, and with blanks elsewhere than exporters write them: what lies between the
            // fields is not taken whole (`RecordPlan.plainLeads`), but read as it comes.
            #"[{"strategy_discussion":"2019-03-04","held":true,"required_field_name":"a"},{"required_field_name":"b"}]"#,
            #"[ { "strategy_discussion":   "2019-03-04" ,  "held":  true,"required_field_name":  "a" } , {"held": false, "required_field_name": "b"}]"#,
        ]
        for text in lists {
            let (plain, general) = both(text, reader, plan)
            let p = try XCTUnwrap(plain, "the plain pass gave up on \(text)")
            let g = try general.get()
            XCTAssertEqual(p.0, g.0, text)
            XCTAssertEqual(p.1, g.1, text)
            XCTAssertEqual(p.1, text.utf8.count, text)
        }
        // Checked by hand: the second list of two records, field by field.
        let (plain, _) = both(lists[4], reader, plan)
        guard case .list(let items)? = plain?.0, items.count == 2, case .record(let first) = items[0], case .record(let second) = items[1]
        else { return XCTFail("two records") }
        XCTAssertEqual(first.fields, [.absent, .bool(false), .absent, .number(0), .text("")])
        XCTAssertEqual(second.fields, [.absent, .bool(true), .absent, .absent, .text("")])
    }

    /// Written otherwise (a tab, a newline, keys out of order or unknown, an escape, a missing
    /// required field, a date not in `YYYY-MM-DD` form, a key differing from a long name only in
    /// its middle word), the plain pass gives up and the general reader decides.
    func testUnusualListsAreLeftToTheGeneralReader() throws {
        let reader = try reader()
        let plan = try meetingsPlan(reader)
        for text in [
            "[\t]",
            "[{\"required_field_name\":\n\"a\"}]",
            #"[{"required_field_name": "a", "held": true}]"#,
            #"[{"other": 1, "required_field_name": "a"}]"#,
            #"[{"required_field_name": "a\"b"}]"#,
            #"[{"held": true}]"#,
            #"[{"strategy_discussion": "2019-3-04", "required_field_name": "a"}]"#,
            #"[{"strategy_DISCussion": "2019-03-04", "required_field_name": "a"}]"#,
            #"[{"required_field_name": "a"} {"required_field_name": "b"}]"#,
            // More blanks after a key than exporters write, where the field and what leads to it
            // are taken whole (`RecordPlan.plainLeads`): left to the general reader.
            #"[{"strategy_discussion":  "2019-03-04", "required_field_name": "a"}]"#,
            #"[{"strategy_discussion": "2019-03-04", "held":  true, "required_field_name": "a"}]"#,
        ] {
            let (plain, _) = both(text, reader, plan)
            XCTAssertNil(plain, text)
        }
        // The last but one is an unknown key to the general reader: skipped, the date not read.
        let (_, general) = both(#"[{"strategy_DISCussion": "2019-03-04", "required_field_name": "a"}]"#, reader, plan)
        guard case .list(let items) = try general.get().0, case .record(let r) = items.first else { return XCTFail("one record") }
        XCTAssertEqual(r[0], .absent)
    }

    /// Byte mutations of a plain list: whenever the plain pass builds a list, the general reader
    /// reads the same list and ends in the same place; when it gives up, it has not moved.
    func testMutationsBuildWhatTheGeneralReaderBuilds() throws {
        let reader = try reader()
        let plan = try meetingsPlan(reader)
        let valid = Array(#"[{"strategy_discussion": "2019-03-04", "held": true, "note": "x", "score": -1.5e2, "required_field_name": "a"}, {"held": null, "required_field_name": "b"}, {"required_field_name": "c"}]"#.utf8)
        var random = XorShift(seed: 0xD1B54A32D192ED03)
        let alphabet = XorShift.jsonBytes + [0x09]
        var built = 0
        var gaveUp = 0
        for _ in 0..<3000 {
            let input = random.mutate(valid, upTo: 2, from: alphabet)
            let text = String(decoding: input, as: UTF8.self)
            guard input.first == 0x5B else { continue }
            let (plain, general) = both(text, reader, plan)
            if let plain {
                built += 1
                guard case .success(let g) = general else {
                    XCTFail("built by the plain pass, rejected by the general reader: \(text)")
                    continue
                }
                XCTAssertEqual(plain.0, g.0, text)
                XCTAssertEqual(plain.1, g.1, text)
            } else {
                gaveUp += 1
            }
        }
        // Both kinds were tried.
        XCTAssertGreaterThan(built, 50)
        XCTAssertGreaterThan(gaveUp, 1000)
    }

    /// A list longer than the run's room for fields (256) grows it; a list read after it in the
    /// same run, and after a pass that gave up half way, holds only its own records.
    func testTheRoomGrowsAndHoldsNothingFromTheListBefore() throws {
        let reader = try reader()
        let plan = try meetingsPlan(reader)
        let long = "[" + (0..<300).map { #"{"note": "n\#($0)", "score": \#($0), "required_field_name": "r"}"# }.joined(separator: ", ") + "]"
        let broken = #"[{"score": 1, "required_field_name": "a"}, {"score": 2}]"#
        let short = #"[{"held": true, "required_field_name": "z"}]"#
        let bytes = Array("x".utf8)
        try bytes.withUnsafeBufferPointer { b in
            let run = ReadRun(reader: reader, cursor: JSONCursor(b), file: "f")
            let (plain, general) = both(long, reader, plan, run)
            XCTAssertEqual(plain?.0, try general.get().0)
            guard case .list(let items)? = plain?.0, case .record(let last) = items.last else { return XCTFail("a list") }
            XCTAssertEqual(items.count, 300)
            XCTAssertEqual(last.fields, [.absent, .absent, .text("n299"), .number(299), .text("")])
            XCTAssertNil(both(broken, reader, plan, run).plain)
            let (again, _) = both(short, reader, plan, run)
            guard case .list(let one)? = again?.0, case .record(let r) = one.first else { return XCTFail("a list") }
            XCTAssertEqual(one.count, 1)
            XCTAssertEqual(r.fields, [.absent, .bool(true), .absent, .absent, .text("")])
        }
    }
}
