import XCTest
@testable import BottomLine

/// The schema-directed JSON reader: typed values, every input form, every rejection with its
/// message, path, line and column (worked out by hand), recovery, and no crash on any input.
final class SnapshotReaderTests: XCTestCase {
    let schema: RecordSchema = {
        let enquiry = RecordSchema(fields: [
            FieldSchema(name: "strategy_discussion", type: .date, optional: true),
            FieldSchema(name: "icpc_required", type: .bool, optional: true),
            FieldSchema(name: "icpc", type: .date, optional: true),
        ])
        return RecordSchema(fields: [
            FieldSchema(name: "case_id", type: .text, optional: false),
            FieldSchema(name: "child", type: .record(RecordSchema(fields: [
                FieldSchema(name: "id", type: .text, optional: false),
                FieldSchema(name: "birth_date", type: .date, optional: true),
            ])), optional: true),
            FieldSchema(name: "section47", type: .list(.record(enquiry)), optional: true),
            FieldSchema(name: "supervisions", type: .list(.date), optional: true),
            FieldSchema(name: "score", type: .number, optional: true),
        ])
    }()

    func read(_ text: String) -> [SnapshotResult] {
        var out: [SnapshotResult] = []
        SnapshotReader(schema: schema, idField: "case_id").read(Array(text.utf8), file: "in.json") { out.append($0) }
        return out
    }

    func accepted(_ r: [SnapshotResult]) -> [Snapshot] {
        r.compactMap { if case .accepted(let s) = $0 { return s } else { return nil } }
    }

    func rejected(_ r: [SnapshotResult]) -> [Rejection] {
        r.compactMap { if case .rejected(let x) = $0 { return x } else { return nil } }
    }

    func testTypedValuesInSlots() {
        let r = read(#"""
            {"case_id": "C-1", "unknown": {"deep": [1, {"x": "\"esc\""}, null, true]},
             "child": {"id": "CH\u00e9", "birth_date": "2012-03-14"},
             "section47": [{"strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": null}],
             "supervisions": ["2019-04-10", "2019-05-10"], "score": -12.5e1}
            """#)
        let s = accepted(r)
        XCTAssertEqual(s.count, 1)
        XCTAssertEqual(s[0].caseID, "C-1")
        let f = s[0].record.fields
        XCTAssertEqual(f[1], .record(RecordValue(fields: [.text("CH\u{e9}"), .date(date("2012-03-14"))])))
        XCTAssertEqual(f[2], .list([.record(RecordValue(fields: [.date(date("2019-03-04")), .bool(true), .absent]))]))
        XCTAssertEqual(f[3], .list([.date(date("2019-04-10")), .date(date("2019-05-10"))]))
        XCTAssertEqual(f[4], .number(-125))
    }

    func testInputForms() {
        let one = #"{"case_id": "A"}"#
        let table: [(String, [String], [Int])] = [
            (one, ["A"], [1]),
            ("[\(one), {\"case_id\": \"B\"}]", ["A", "B"], [1, 1]),
            ("[\n  \(one),\n  {\"case_id\": \"B\"}\n]\n", ["A", "B"], [2, 3]),
            ("\(one)\n{\"case_id\": \"B\"}\n\n{\"case_id\": \"C\"}\n", ["A", "B", "C"], [1, 2, 4]),
            ("\u{FEFF}\(one)\r\n{\"case_id\": \"B\"}\r\n", ["A", "B"], [1, 2]),
            ("", [], []),
            ("  \n ", [], []),
            ("[]", [], []),
        ]
        for (text, ids, lines) in table {
            let s = accepted(read(text))
            XCTAssertEqual(s.map(\.caseID), ids, text)
            XCTAssertEqual(s.map(\.location.line), lines, text)
            XCTAssertEqual(s.map(\.location.index), Array(0..<ids.count), text)
        }
    }

    func testRejections() {
        // (input, message, path, line, column, help)
        let table: [(String, String, String?, Int, Int, String?)] = [
            (#"{"case_id": "C", "child": {"id": 4417}}"#,
                "`case.child.id` should be text, found a number", "case.child.id", 1, 34, "put the value in double quotes"),
            (#"{"case_id": "C", "section47": [{"icpc": "28/03/2019"}]}"#,
                "`case.section47[0].icpc` is not a date: `28/03/2019`", "case.section47[0].icpc", 1, 41, "write dates as YYYY-MM-DD, for example `2019-03-28`"),
            (#"{"case_id": "C", "child": {"id": "x", "birth_date": "2019-02-30"}}"#,
                "`case.child.birth_date` is not a real date: `2019-02-30`", "case.child.birth_date", 1, 53, "check the day and month; write dates as YYYY-MM-DD"),
            (#"{"child": {"id": "x"}}"#,
                "`case.case_id` is missing", "case.case_id", 1, 22, "every snapshot needs `case_id` here; the schema (rules/schema.rules) says it is required"),
            (#"{"case_id": "C", "child": {}}"#,
                "`case.child.id` is missing", "case.child.id", 1, 28, "every snapshot needs `id` here; the schema (rules/schema.rules) says it is required"),
            (#"{"case_id": "C", "supervisions": ["2019-01-01", null]}"#,
                "`case.supervisions[1]` is null", "case.supervisions[1]", 1, 49, "remove it, or give a value"),
            (#"{"case_id": "C", "supervisions": ["2019-01-01", "2019-13-01"]}"#,
                "`case.supervisions[1]` is not a real date: `2019-13-01`", "case.supervisions[1]", 1, 49, "check the day and month; write dates as YYYY-MM-DD"),
            // A list of records is read into one buffer: its items' paths are still their own.
            (#"{"case_id": "C", "section47": [{"icpc": "2019-03-28"}, null]}"#,
                "`case.section47[1]` is null", "case.section47[1]", 1, 56, "remove it, or give a value"),
            (#"{"case_id": "C", "section47": [{"icpc": "2019-03-28"}, 3]}"#,
                "`case.section47[1]` should be an object, found a number", "case.section47[1]", 1, 56, "write an object in braces, `{ … }`"),
            (#"{"case_id": "C", "section47": [{}, {"icpc": "x"}]}"#,
                "`case.section47[1].icpc` is not a date: `x`", "case.section47[1].icpc", 1, 45, "write dates as YYYY-MM-DD, for example `2019-03-28`"),
            // A required field that is null is missing too (the reader's mask of fields holding
            // a value, not of fields seen).
            (#"{"case_id": "C", "child": {"id": null}}"#,
                "`case.child.id` is missing", "case.child.id", 1, 38, "every snapshot needs `id` here; the schema (rules/schema.rules) says it is required"),
            // Yes/no fields read in place, and what the in-place reading hands on.
            (#"{"case_id": "C", "section47": [{"icpc_required": "yes"}]}"#,
                "`case.section47[0].icpc_required` should be true or false, found a string", "case.section47[0].icpc_required", 1, 50, "write `true` or `false`, without quotes"),
            (#"{"case_id": "C", "section47": [{"icpc_required": fals}]}"#,
                "malformed JSON: expected a value, found `f`", "case.section47[0].icpc_required", 1, 50, nil),
            (#"{"case_id": "C", "section47": [{"icpc_required": truex}]}"#,
                "malformed JSON: expected `,` or `}` after a field, found `x`", "case.section47[0]", 1, 54, nil),
            (#"{"case_id": "C", "score": 1, "score": 2}"#,
                "`case.score` appears twice in the same object", "case.score", 1, 30, "keep one of them"),
            (#"{"case_id": "C", "section47": {"icpc": null}}"#,
                "`case.section47` should be a list, found an object", "case.section47", 1, 31, "write a list in square brackets, `[ … ]`; for one item, a list of one"),
            ("{\"case_id\": \"C\",\n \"score\": 1 \"x\": 2}",
                "malformed JSON: expected `,` or `}` after a field, found a string", nil, 2, 13, nil),
            (#"{"case_id": "C", "supervisions": ["2019-01-01" "2019-02-01"]}"#,
                "malformed JSON: expected `,` or `]` in a list, found a string", "case.supervisions", 1, 48, nil),
            // Fields not in the schema are skipped, and still checked.
            (#"{"case_id": "C", "x": [1 2]}"#, "malformed JSON: expected `,` or `]`, found `2`", nil, 1, 26, nil),
            (#"{"case_id": "C", "x": {"a": 1 "b": 2}}"#, "malformed JSON: expected `,` or `}`, found a string", nil, 1, 31, nil),
            (#"{"case_id": "C", "x": tru}"#, "malformed JSON: expected a value, found `t`", nil, 1, 23, nil),
            (#"{"case_id": "C", "x": "a"#, "malformed JSON: a string is not closed", nil, 1, 23, "end the string with `\"`"),
            (#"{"case_id": "C", "x": "a\qb"}"#, "malformed JSON: `\\q` is not an escape", nil, 1, 25, "write a backslash as `\\\\`"),
            ("42", "expected a case as a JSON object, found a number", nil, 1, 1, nil),
            (#"[{"case_id": "C"}] x"#, "malformed JSON: unexpected `x` after the end of the array", nil, 1, 20, "a file holds one array of cases, or one case per line"),
        ]
        for (text, message, path, line, column, help) in table {
            let x = rejected(read(text))
            XCTAssertEqual(x.first?.message, message, text)
            XCTAssertEqual(x.first?.path, path, text)
            XCTAssertEqual(x.first?.line, line, text)
            XCTAssertEqual(x.first?.column, column, text)
            XCTAssertEqual(x.first?.help, help, text)
        }
    }

    func testEscapedDateAndYesNoReadAsPlainOnes() {
        let s = accepted(read(#"{"case_id": "C", "section47": [{"strategy_discussion": "2019\u002d03-04", "icpc_required": false, "icpc": "2019-03-20"}]}"#))
        XCTAssertEqual(s.first?.record[2], .list([.record(RecordValue(fields: [.date(date("2019-03-04")), .bool(false), .date(date("2019-03-20"))]))]))
    }

    /// A string is scanned eight bytes at a time up to its first `"`, `\` or control byte: it
    /// ends, turns to escapes, or is rejected exactly where a byte-by-byte scan says, whatever
    /// the byte's place in a word (random strings of 0–40 bytes, a fixed seed).
    func testStringScanStopsWhereTheByteByByteScanDoes() {
        var random = XorShift(seed: 0x2545F4914F6CDD1D)
        func next() -> UInt64 { random.next() }
        let special: [UInt8] = [0x22, 0x5C, 0x00, 0x01, 0x1F, 0x20, 0x21, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xFF]
        var ends = 0, controls = 0, unclosed = 0
        for _ in 0..<20_000 {
            let n = Int(next() % 41)
            let body = (0..<n).map { _ in next() % 4 == 0 ? special[Int(next() % UInt64(special.count))] : UInt8(0x61 + next() % 26) }
            let bytes = [0x22] + body
            let first = body.firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }.map { $0 + 1 }
            bytes.withUnsafeBufferPointer { buffer in
                var c = JSONCursor(buffer)
                do {
                    try c.skipString()
                    guard let first else { return XCTFail("ended without a closing quote: \(bytes)") }
                    if bytes[first] == 0x22 {
                        XCTAssertEqual(c.pos, first + 1, "\(bytes)")
                        var r = JSONCursor(buffer)
                        XCTAssertEqual(try? r.readString(), String(decoding: bytes[1..<first], as: UTF8.self), "\(bytes)")
                        ends += 1
                    } else {
                        XCTAssertEqual(bytes[first], 0x5C, "\(bytes)")
                        XCTAssertGreaterThan(c.pos, first + 1, "\(bytes)")
                    }
                } catch let e as ReadError {
                    switch first.map({ bytes[$0] }) {
                    case nil:
                        XCTAssertEqual(e.offset, 0, "\(bytes)")
                        XCTAssertEqual(e.message, "malformed JSON: a string is not closed", "\(bytes)")
                        unclosed += 1
                    case 0x22?:
                        XCTFail("rejected a plain string: \(bytes)")
                    case 0x5C?:
                        // Escapes are read byte by byte from the backslash on: whatever is wrong
                        // is wrong from it on (or the string was never closed).
                        XCTAssertTrue(e.offset >= first! || e.message == "malformed JSON: a string is not closed", "\(bytes)")
                    default:
                        XCTAssertEqual(e.offset, first, "\(bytes)")
                        XCTAssertEqual(e.message, "malformed JSON: a control character inside a string", "\(bytes)")
                        controls += 1
                    }
                } catch {
                    XCTFail("\(error)")
                }
            }
        }
        // Every way out was taken, many times.
        XCTAssertGreaterThan(ends, 1000)
        XCTAssertGreaterThan(controls, 1000)
        XCTAssertGreaterThan(unclosed, 1000)
    }

    func testSkippedLinesAfterMalformedJSONAreNamed() {
        // Line 2 breaks off; lines 3 and 4 are the rest of a pretty-printed object that cannot be
        // read, so reading goes on at line 5. The rejection must say which lines were passed over.
        let text = """
            {"case_id": "A"}
            {"case_id": "B", "score": 1 "x":
              2,
              "y": 3}
            {"case_id": "D"}
            {"case_id": "E", "x": tru}
              "z": 1}
            """
        let r = read(text)
        XCTAssertEqual(accepted(r).map(\.caseID), ["A", "D"])
        let x = rejected(r)
        XCTAssertEqual(x.map(\.line), [2, 6])
        XCTAssertEqual(x[0].help, "lines 3–4 were skipped too; reading went on at line 5, the next line that starts with `{`")
        XCTAssertEqual(x[1].help, "line 7 was skipped too: no later line starts with `{`")
    }

    func testFieldsInAnyOrderReadTheSame() {
        // The reader expects each object's fields in the order of the one before, each key
        // written `"name":` (compared whole, as one or two words, for keys of up to 16 bytes with
        // the quotes and colon: `"icpc":` 7, `"icpc_required":` 16, `"strategy_discussion":` 22);
        // objects that break the order, add unknown fields or near-miss names, escape a key, put
        // space before a colon or none after it, read the same.
        let text = #"""
            {"case_id": "A", "section47": [
              {"strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": "2019-03-28"},
              {"icpc": "2019-03-28", "icpc_required": true, "strategy_discussion": "2019-03-04"},
              {"strategy": 1, "strategy_discussion": "2019-03-04", "icpc_requiredx": 2, "icpc_required": true, "extra": {"icpc": 1}, "icpc": "2019-03-28"},
              {"strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": "2019-03-28"},
              {"strategy_discussion" : "2019-03-04", "icpc_required"  :true, "icpc"	:"2019-03-28"},
              {"strategy_discussion":"2019-03-04","icpc_required":true,"icpc":"2019-03-28"},
              {"\u0073trategy_discussion": "2019-03-04", "icpc_re\u0071uired": true, "icp\u0063": "2019-03-28"},
              {"icpc_require": true, "icp": 1, "strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": "2019-03-28"}]}
            """#
        let r = read(text)
        XCTAssertEqual(rejected(r).map(\.message), [])
        guard let snapshot = accepted(r).first, case .list(let items) = snapshot.record.fields[2] else {
            return XCTFail("section47 should be read as a list")
        }
        XCTAssertEqual(items.count, 8)
        guard case .record(let first) = items[0] else { return XCTFail("an enquiry should be a record") }
        XCTAssertEqual(first.fields, [.date(LocalDate(iso: "2019-03-04")!), .bool(true), .date(LocalDate(iso: "2019-03-28")!)])
        for item in items { XCTAssertEqual(item, items[0]) }
    }

    func testRecordsOfAListShareABufferButAreEachTheirOwn() {
        // The records of a list are views of one buffer of fields: each sees its own fields,
        // and equality compares fields, not where they are kept.
        let r = read(#"""
            {"case_id": "A", "section47": [
              {"strategy_discussion": "2019-03-04"},
              {"icpc_required": false, "icpc": "2019-04-01"},
              {}]}
            """#)
        guard let snapshot = accepted(r).first, case .list(let items) = snapshot.record.fields[2], items.count == 3 else {
            return XCTFail("section47 should be read as a list of three")
        }
        let d = { (s: String) in Value.date(LocalDate(iso: s)!) }
        XCTAssertEqual(items, [
            .record(RecordValue(fields: [d("2019-03-04"), .absent, .absent])),
            .record(RecordValue(fields: [.absent, .bool(false), d("2019-04-01")])),
            .record(RecordValue(fields: [.absent, .absent, .absent])),
        ])
        guard case .record(let second) = items[1] else { return XCTFail("an enquiry should be a record") }
        XCTAssertEqual(second.count, 3)
        XCTAssertEqual(second[2], d("2019-04-01"))
        XCTAssertNotEqual(items[0], items[1])
        XCTAssertNotEqual(RecordValue(fields: [.absent]), RecordValue(fields: [.absent, .absent]))
    }

    func testRejectionNamesTheCaseEvenWhenTheErrorComesFirst() {
        let x = rejected(read(#"{"child": {"id": 1}, "case_id": "C-9"}"#))
        XCTAssertEqual(x.first?.caseID, "C-9")
    }

    func testNDJSONRecoveryAccountsForEveryLine() {
        let text = """
            {"case_id": "A"}
            {"case_id": "B", "score": 1 "x": 2}
            {"case_id": "C", "score": "high"}
            {"case_id": "D"}
            """
        let r = read(text)
        XCTAssertEqual(r.count, 4)
        XCTAssertEqual(accepted(r).map(\.caseID), ["A", "D"])
        XCTAssertEqual(rejected(r).map(\.location.line), [2, 3])
        XCTAssertEqual(rejected(r).map(\.caseID), ["B", "C"])
    }

    func testArrayWithBrokenElementStopsWithOneRejection() {
        let r = read("[{\"case_id\": \"A\"},\n {\"case_id\": \"B\" \"x\"},\n {\"case_id\": \"C\"}]")
        XCTAssertEqual(accepted(r).map(\.caseID), ["A"])
        XCTAssertEqual(rejected(r).count, 1)
        XCTAssertEqual(rejected(r).first?.line, 2)
        XCTAssertEqual(rejected(r).first?.message, "malformed JSON: expected `,` or `}` after a field, found a string; the rest of the array was not read")
    }

    func testArrayWithoutACommaBetweenCases() {
        let r = read(#"[{"case_id": "C"} {"case_id": "D"}]"#)
        XCTAssertEqual(accepted(r).map(\.caseID), ["C"])
        XCTAssertEqual(rejected(r).count, 1)
        XCTAssertEqual(rejected(r).first?.message, "malformed JSON: expected `,` or `]` after a case, found `{`")
        XCTAssertEqual(rejected(r).first?.column, 19)
    }

    func testDeepNestingIsRejectedNotACrash() {
        let deep = "{\"case_id\": \"A\", \"x\": " + String(repeating: "[", count: 100_000) + "}"
        XCTAssertEqual(rejected(read(deep)).count, 1)
    }

    /// Truncations and byte mutations of a valid document: never a crash, and every non-blank
    /// input gives at least one result.
    func testMutationsNeverCrash() {
        let valid = Array(#"[{"case_id": "C-1", "child": {"id": "CH", "birth_date": "2012-03-14"}, "section47": [{"strategy_discussion": "2019-03-04", "icpc_required": true, "icpc": null}], "supervisions": ["2019-04-10"], "score": 1.5e2, "u": "\u00e9\n"}]"#.utf8)
        var random = XorShift(seed: 0x9E3779B97F4A7C15)
        var runs = 0
        for cut in 0..<valid.count {
            let input = Array(valid[0..<cut])
            var results = 0
            SnapshotReader(schema: schema, idField: "case_id").read(input, file: "f") { _ in results += 1 }
            if input.contains(where: { $0 != 0x20 }) { XCTAssertGreaterThan(results, 0, "truncated at \(cut)") }
            runs += 1
        }
        for _ in 0..<2000 {
            let input = random.mutate(valid, upTo: 3, from: XorShift.jsonBytes)
            var results = 0
            SnapshotReader(schema: schema, idField: "case_id").read(input, file: "f") { _ in results += 1 }
            XCTAssertGreaterThan(results, 0)
            runs += 1
        }
        XCTAssertGreaterThan(runs, 2000)
    }
}

/// A reader made for one program (`SnapshotReader(readingFor:)`, as streaming uses) checks the
/// text of fields no rule reads but does not keep it: the same rejections as the full reader,
/// word for word and place for place, and the same values for every field a rule reads.
final class UnreadFieldsTests: XCTestCase {
    /// Two records have a field `worker`: the case's (read, through `case.worker.id`) and a
    /// visit's (never read), so fields are told apart by their record, not by name.
    let source = """
        schema case
          case_id: text
          note: text?
          visits: list of { date: date?, worker: text? }
          worker: { id: text?, team: text? }?

        rule visited "Visited"
          source "s"
          kind bottom-line
          require (count of case.visits where visit.date is present) >= 1

        rule allocated "Allocated"
          source "s"
          kind bottom-line
          require case.worker.id is present
        """

    func program(_ source: String) throws -> CheckedProgram {
        let rs = RuleSet.load(sources: [("t.rules", source)])
        return try XCTUnwrap(rs.program, rs.renderDiagnostics())
    }

    /// The text fields of `schema` (dotted paths) that `reads` says no rule reads.
    func unread(_ reads: FieldsRead, _ schema: RecordSchema, _ prefix: String = "") -> [String] {
        schema.fields.enumerated().flatMap { i, f -> [String] in
            switch f.type {
            case .text: return reads.contains(schema, i) ? [] : [prefix + f.name]
            case .record(let r), .list(.record(let r)): return unread(reads, r, prefix + f.name + ".")
            default: return []
            }
        }
    }

    func testFieldsReadAreToldApartByRecord() throws {
        let p = try program(source)
        XCTAssertEqual(unread(FieldsRead(p), p.schema), ["note", "visits.worker", "worker.team"])
    }

    /// In the shipped rules, only a visit's practitioner is never read (worked out from the
    /// rules: the case id names findings, the child's id is counted, the practitioner and team
    /// group cases).
    func testShippedRulesLeaveOnlyTheVisitingPractitionerUnread() throws {
        let p = try XCTUnwrap(shippedRules.program)
        XCTAssertEqual(unread(FieldsRead(p), p.schema), ["visits.worker"])
    }

    func results(_ reader: SnapshotReader, _ text: String) -> [SnapshotResult] {
        var out: [SnapshotResult] = []
        reader.read(Array(text.utf8), file: "in.json") { out.append($0) }
        return out
    }

    func testUnreadTextIsCheckedAsTheFullReaderChecksIt() throws {
        let p = try program(source)
        let full = SnapshotReader(schema: p.schema, idField: p.idField)
        let skipping = SnapshotReader(readingFor: p)
        let inputs = [
            #"{"case_id": "C", "note": 4}"#,
            #"{"case_id": "C", "visits": [{"worker": true}]}"#,
            "{\"case_id\": \"C\", \"visits\": [{\"worker\": \"a\u{01}b\"}]}",
            #"{"case_id": "C", "visits": [{"worker": "a\qb"}]}"#,
            #"{"case_id": "C", "worker": {"team": "x}"#,
            #"{"case_id": "C", "note": "a", "note": "b"}"#,
        ]
        for text in inputs {
            let a = results(full, text)
            let b = results(skipping, text)
            XCTAssertEqual(a.count, 1, text)
            guard case .rejected(let x)? = a.first, case .rejected(let y)? = b.first else {
                XCTFail("both readers reject \(text)")
                continue
            }
            XCTAssertEqual(x, y, text)
        }
        // The messages, checked by hand for two of them.
        if case .rejected(let x)? = results(skipping, inputs[0]).first {
            XCTAssertEqual(x.message, "`case.note` should be text, found a number")
            XCTAssertEqual(x.column, 26)  // the `4`
        }
        if case .rejected(let x)? = results(skipping, inputs[2]).first {
            XCTAssertEqual(x.message, "malformed JSON: a control character inside a string")
            XCTAssertEqual(x.column, 42)  // the byte after `a`
        }
    }

    func testFieldsRuleReadAreKeptAndUnreadTextStandsEmpty() throws {
        let p = try program(source)
        let text = #"{"case_id": "C-\"1\"", "note": "a \"quoted\" note", "visits": [{"date": "2019-01-01", "worker": null}, {"worker": "W1"}], "worker": {"id": "S", "team": "T"}}"#
        guard case .accepted(let a)? = results(SnapshotReader(schema: p.schema, idField: p.idField), text).first,
            case .accepted(let b)? = results(SnapshotReader(readingFor: p), text).first
        else { return XCTFail("both readers accept the case") }
        XCTAssertEqual(b.caseID, #"C-"1""#)
        XCTAssertEqual(a.caseID, b.caseID)
        guard case .list(let visits) = b.record[2], case .record(let v0) = visits[0], case .record(let v1) = visits[1],
            case .record(let worker) = b.record[3]
        else { return XCTFail("visits and worker read") }
        XCTAssertEqual(b.record[1], .text(""))  // the note: checked, not kept
        XCTAssertEqual(v0[0], .date(date("2019-01-01")))
        XCTAssertEqual(v0[1], .absent)  // null stays not recorded
        XCTAssertEqual(v1[1], .text(""))
        XCTAssertEqual(worker[0], .text("S"))
        XCTAssertEqual(worker[1], .text(""))
        XCTAssertEqual(a.record[1], .text(#"a "quoted" note"#))
    }

    /// A rule that reads a visit's practitioner gets it, through the streaming check: with the
    /// empty stand-in both visits would count as one practitioner and the rule would be breached.
    func testARuleThatReadsTheFieldGetsItWhenStreaming() throws {
        let rules = RuleSet.load(sources: [("t.rules", """
            schema case
              case_id: text
              visits: list of { date: date?, worker: text? }

            rule two "Seen by two practitioners"
              source "s"
              kind bottom-line
              require (count of distinct case.visits.worker) >= 2
            """)])
        let check = StreamingCheck(rules: rules, asOf: date("2019-04-30"), show: .all)
        var state = check.start()
        var out: [UInt8] = []
        let input = Array(#"{"case_id": "C", "visits": [{"worker": "W1"}, {"worker": "W2"}]}"#.utf8)
        input.withUnsafeBufferPointer { check.run(file: "in.ndjson", bytes: $0, write: { out += $0 }, state: &state) }
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        XCTAssertTrue(lines.first?.contains(#""outcome":"met""#) == true, lines.first.map(String.init) ?? "no output")
    }
}
