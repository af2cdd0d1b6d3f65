import XCTest
@testable import BottomLine

/// The arena a streaming run's reader keeps each snapshot's lists and records in (`ValueArena`,
/// `ValueKeeper`, `ValueStack`): room handed out without overlapping, used again after a reset;
/// the values that hold references noted so that they are let go; and snapshots read into it the
/// same, value for value, as snapshots read with storage of their own.
final class ValueArenaTests: XCTestCase {
    func testRoomIsHandedOutWithoutOverlapAndUsedAgainAfterAReset() {
        let arena = ValueArena()
        let keeper = ValueKeeper(arena: arena)
        // More than one block's room in all, and one list longer than a block.
        let sizes = [3000, 3000, 1, ValueArena.blockCapacity + 5, 10]
        var blocks: [(base: UnsafeMutablePointer<Value>, count: Int)] = []
        for (k, n) in sizes.enumerated() {
            let (owner, base) = keeper.keep(n) { p in for i in 0..<n { (p + i).initialize(to: .number(Double(k * 100_000 + i))) } }
            XCTAssertNil(owner, "the arena keeps the values")
            blocks.append((try! XCTUnwrap(base), n))
        }
        // Each block still holds its own values: none was written over by a later one.
        for (k, b) in blocks.enumerated() {
            for i in [0, b.count / 2, b.count - 1] { XCTAssertEqual(b.base[i], .number(Double(k * 100_000 + i)), "block \(k), value \(i)") }
        }
        let ranges = blocks.map { UInt(bitPattern: $0.base)..<UInt(bitPattern: $0.base + $0.count) }
        for i in ranges.indices {
            for j in ranges.indices where j > i { XCTAssertFalse(ranges[i].overlaps(ranges[j]), "blocks \(i) and \(j) overlap") }
        }
        XCTAssertEqual(keeper.keep(0) { _ in XCTFail("nothing to make") }.base, nil)
        arena.reset()
        let again = keeper.keep(5) { $0.initialize(repeating: .absent, count: 5) }.base
        XCTAssertEqual(again, blocks[0].base, "after a reset, the room is used again from its start")
    }

    /// After a reset, a list longer than the next block is given room that holds it, whatever
    /// the blocks after that one hold (three blocks made, then a long list in the second).
    func testALongListAfterAResetIsGivenRoomThatHoldsIt() {
        let arena = ValueArena()
        let keeper = ValueKeeper(arena: arena)
        let n = ValueArena.blockCapacity
        for k in 0..<3 { _ = keeper.keep(n) { $0.initialize(repeating: .number(Double(k)), count: n) } }
        arena.reset()
        let small = keeper.keep(10) { $0.initialize(repeating: .number(1), count: 10) }.base!
        let long = n + 5
        let big = keeper.keep(long) { p in for i in 0..<long { (p + i).initialize(to: .number(Double(i))) } }.base!
        let after = keeper.keep(3) { $0.initialize(repeating: .number(-1), count: 3) }.base!
        XCTAssertEqual(big[long - 1], .number(Double(long - 1)))
        XCTAssertEqual(small[9], .number(1), "the first block's values are untouched")
        let bigRange = UInt(bitPattern: big)..<UInt(bitPattern: big + long)
        XCTAssertFalse(bigRange.contains(UInt(bitPattern: after)) || bigRange.contains(UInt(bitPattern: small)))
    }

    func testTextTooLongToBeKeptInTheValueIsNoted() {
        let arena = ValueArena()
        let keeper = ValueKeeper(arena: arena)
        _ = keeper.text(String(repeating: "a", count: 15))
        _ = keeper.text("é" + String(repeating: "a", count: 13))  // 15 bytes
        XCTAssertFalse(arena.holdsReferences, "15 bytes are kept in the value")
        _ = keeper.text(String(repeating: "a", count: 16))
        XCTAssertTrue(arena.holdsReferences)
        arena.reset()
        XCTAssertFalse(arena.holdsReferences, "a reset lets go of them")
        // Outside an arena nothing is noted (the values' own storage lets go of them).
        XCTAssertEqual(ValueKeeper(arena: nil).text(String(repeating: "b", count: 40)), .text(String(repeating: "b", count: 40)))
    }

    /// What `ValueKeeper.text` relies on: text of up to 15 bytes, made from bytes as the reader
    /// makes it, is kept in the string value itself and holds no reference (the standard
    /// library's small strings, told by the second word's top byte on 64-bit platforms); longer
    /// text holds one. Were that to change, text kept in an arena unnoted would never be let go.
    func testShortTextHoldsNoReference() throws {
        try XCTSkipUnless(MemoryLayout<Int>.size == 8)
        func isSmall(_ s: String) -> Bool { (unsafeBitCast(s, to: (UInt64, UInt64).self).1 >> 56) & 0x20 != 0 }
        for n in 0...40 {
            let ascii = String(decoding: Array(repeating: UInt8(ascii: "x"), count: n), as: UTF8.self)
            XCTAssertEqual(isSmall(ascii), n <= 15, "\(n) bytes")
            XCTAssertEqual(Value.text(ascii).holdsReference, n > 15)
            guard n >= 2 else { continue }
            let accented = String(decoding: Array("é".utf8) + Array(repeating: UInt8(ascii: "x"), count: n - 2), as: UTF8.self)
            XCTAssertEqual(isSmall(accented), n <= 15, "\(n) bytes, not all ASCII")
        }
    }

    func testAStackListIsMovedOutAndTheStackIsBackWhereItWas() {
        let stack = ValueStack()
        stack.push(.number(1))
        let mark = stack.count
        for i in 0..<600 { stack.push(.number(Double(i))) }  // past the first room of 256
        let list = stack.list(from: mark, ValueKeeper(arena: nil))
        XCTAssertEqual(stack.count, 1)
        XCTAssertEqual(list, .list(ValueList((0..<600).map { .number(Double($0)) })))
        stack.push(.text(String(repeating: "z", count: 30)))
        stack.truncate(to: 1)
        XCTAssertEqual(stack.count, 1)
        XCTAssertEqual(stack.buffer[0], .number(1))
    }

    // MARK: Reading into the arena

    /// The schema of `DeferredFieldsTests`, with lists of records inside records of a list (read by
    /// the general reader), lists of text, numbers, and a record.
    let source = """
        schema case
          case_id: text
          plans: list of { start: date?, reviews: list of date, notes: list of text }
          visits: list of { date: date?, seen_alone: bool?, worker: text?, score: number? }
          looked_after: { start: date?, placements: list of { start: date? } }?
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

        rule noted "Notes kept"
          source "s"
          kind bottom-line
          require (count of distinct case.notes) >= 1 and (count of case.summaries) >= 1
        """

    /// Cases that read every way the reader reads: plain and general lists of records, lists in
    /// records of a list, deferred visits built or not, long text, escapes, empty lists, and
    /// snapshots rejected part way through a list (whose items read so far must be let go).
    let lines = [
        #"{"case_id": "A-1", "plans": [{"start": "2024-01-02", "reviews": ["2024-03-01", "2024-09-01"], "notes": ["short", "a note long enough to be kept apart"]}], "visits": [{"date": "2024-01-05", "seen_alone": true, "worker": "SW-1", "score": 2}], "notes": ["n"], "summaries": ["2024-02-02"]}"#,
        #"{"case_id": "A-2", "visits": [{"date": "2024-01-05", "seen_alone": false, "worker": "a practitioner with a long name"}], "summaries": []}"#,
        #"{"case_id": "A-3", "plans": [{"start": "2024-01-02", "reviews": ["2024-03-01", "not a date"]}], "summaries": ["2024-02-02"]}"#,
        #"{"case_id": "A-4", "looked_after": {"start": "2023-05-05", "placements": [{"start": "2023-05-05"}, {"start": null}]}, "visits": [{"date": "2024-01-05", "seen_alone": true}, {"seen_alone": true}], "notes": ["x\"y", "\u00e9t\u00e9"]}"#,
        #"{"case_id": "A-5", "plans": [{"start": "2024-01-02", "reviews": [], "notes": ["one", "two", 3]}], "summaries": ["2024-02-02", "2024-05-02"]}"#,
        #"{"case_id":"A-6","plans":[{"reviews":["2024-03-01"]},{"start":"2025-01-01","reviews":["2025-03-01","2025-06-01"]}],"visits":[{"date":"2024-01-05","seen_alone":true}],"summaries":["2024-02-02","2024-05-02"]}"#,
        #"{"case_id": "A-7", "visits": [{"date": "2024-01-05", "seen_alone": "yes"}], "plans": [{"start": "2024-01-02"}]}"#,
        #"{"case_id": "A-8", "notes": ["one", "two", "three", "four", "five", "a sixth and longer note"], "summaries": ["2024-02-02", "2024-05-02", "2024-08-02"]}"#,
    ]

    /// Every snapshot read into an arena, looked at before the next is read, is the snapshot read
    /// with storage of its own, field for field; rejections are the same; and a snapshot rejected
    /// part way through leaves nothing on the reader's stack.
    func testSnapshotsReadIntoTheArenaAreTheSnapshotsReadWithTheirOwnStorage() throws {
        let rs = RuleSet.load(sources: [("t.rules", source)])
        let program = try XCTUnwrap(rs.program, rs.renderDiagnostics())
        let reader = SnapshotReader(readingFor: program)
        let input = Array((lines + lines.reversed()).joined(separator: "\n").utf8)
        var owned: [SnapshotResult] = []
        input.withUnsafeBufferPointer { reader.read($0, file: "in.ndjson", emit: { owned.append($0) }) }
        XCTAssertEqual(owned.count, 2 * lines.count)
        let arena = ValueArena()
        var i = 0
        var compared = (accepted: 0, rejected: 0, withPlans: 0)
        input.withUnsafeBufferPointer { bytes in
            reader.read(bytes, file: "in.ndjson", firstLine: 1, firstIndex: 0, arena: arena) { r in
                defer { i += 1 }
                guard i < owned.count else { return XCTFail("more snapshots than read with their own storage") }
                switch (r, owned[i]) {
                case (.accepted(let a), .accepted(let b)):
                    XCTAssertEqual(a.caseID, b.caseID)
                    XCTAssertEqual(a.location, b.location)
                    XCTAssertEqual(a.record, b.record, "case \(a.caseID)")
                    // (Field by field, so that a difference says where.)
                    for s in 0..<b.record.count { XCTAssertEqual(a.record[s], b.record[s], "case \(a.caseID), field \(s)") }
                    if a.record[1].isPresent {
                        XCTAssertFalse(a.record[1].holdsReference, "the arena's lists have no owner of their own")
                        XCTAssertTrue(b.record[1].holdsReference)
                        compared.withPlans += 1
                    }
                    // Worked out by hand: A-4's placements, a plainly written list of records.
                    if a.caseID == "A-4" {
                        let placements: Value = .list([
                            .record(RecordValue(fields: [.date(date("2023-05-05"))])), .record(RecordValue(fields: [.absent])),
                        ])
                        XCTAssertEqual(a.record[3], .record(RecordValue(fields: [.date(date("2023-05-05")), placements])))
                    }
                    // (Its last note is longer than a value holds.)
                    if a.caseID == "A-8" { XCTAssertTrue(arena.holdsReferences) }
                    compared.accepted += 1
                case (.rejected(let a), .rejected(let b)):
                    XCTAssertEqual(a, b)
                    compared.rejected += 1
                default:
                    XCTFail("snapshot \(i): \(r) read into the arena, \(owned[i]) otherwise")
                }
            }
        }
        XCTAssertEqual(i, owned.count)
        // Worked out from the lines: A-3, A-5 and A-7 are rejected (a review not a date, a note a
        // number, a visit's yes/no as text), twice each; of the rest, A-1 and A-6 have plans.
        XCTAssertEqual(compared.rejected, 6)
        XCTAssertEqual(compared.accepted, 10)
        XCTAssertEqual(compared.withPlans, 4)
    }

    /// A snapshot rejected part way through a list leaves nothing on the stack the reader reads
    /// lists' items into (they are let go, not kept until the end of the reading).
    func testARejectedSnapshotLeavesNothingOnTheStack() throws {
        let rs = RuleSet.load(sources: [("t.rules", source)])
        let program = try XCTUnwrap(rs.program, rs.renderDiagnostics())
        let reader = SnapshotReader(readingFor: program)
        let arena = ValueArena()
        for line in [lines[2], lines[4]] {
            let bytes = Array(line.utf8)
            try bytes.withUnsafeBufferPointer { b in
                var run = ReadRun(reader: reader, cursor: JSONCursor(b), file: "f", keeper: ValueKeeper(arena: arena))
                let result = try XCTUnwrap(run.readOne())
                guard case .rejected = result.0 else { return XCTFail("\(line) is rejected") }
                XCTAssertEqual(run.stack.count, 0, line)
            }
        }
        withExtendedLifetime(arena) {}
    }
}
