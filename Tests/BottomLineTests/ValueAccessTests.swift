import XCTest

@testable import BottomLine

/// The accessors that read a record's fields where they lie (for the evaluator, which must not
/// copy records and lists out to look into them) agree with reading them out first: the
/// definition. Table-driven over every kind of value, in records of their own and in records
/// that share one buffer (a list of records, as the reader makes them).
final class ValueAccessTests: XCTestCase {
    /// One value of every kind, including records (with a present and an absent field) and lists
    /// (empty and not).
    private let kinds: [Value] = [
        .absent, .text("a"), .text(String(repeating: "long text ", count: 4)), .number(3), .bool(false),
        .date(LocalDate(dayNumber: 19_000)), .list([]), .list([.date(LocalDate(dayNumber: 1))]),
        .record(RecordValue(fields: [.date(LocalDate(dayNumber: 2)), .absent])),
        .record(RecordValue(fields: [.list([]), .text("x")])),
    ]

    /// Where the third record's fields are kept.
    private let arena = ValueArena()

    /// Records holding every kind in every slot: records of their own, views of one shared block
    /// at an offset (the second of three, as in a list of records), and records in a reading's
    /// arena (the second of three blocks there).
    private var records: [RecordValue] {
        let own = RecordValue(fields: kinds)
        let n = kinds.count
        let shared = ValueStorage.make(3 * n) { p in kinds.withUnsafeBufferPointer { k in for i in 0..<3 { (p + i * n).initialize(from: k.baseAddress!, count: n) } } }
        let view = RecordValue(owner: shared, base: shared.values + n, count: n)
        let keeper = ValueKeeper(arena: arena)
        let blocks = (0..<3).map { _ in keeper.keep(n) { p in kinds.withUnsafeBufferPointer { p.initialize(from: $0.baseAddress!, count: n) } } }
        XCTAssertNil(blocks[1].owner, "the arena keeps its values")
        arena.holdsReferences = true  // (the long text)
        let inArena = RecordValue(owner: nil, base: blocks[1].base, count: n)
        return [own, view, inArena]
    }

    func testFieldOfAFieldIsTheInnerRecordsField() {
        for r in records {
            for first in 0...kinds.count {  // one past the end: absent
                for second in 0..<3 {
                    let expected: Value
                    if case .record(let inner) = r.field(first) { expected = inner.field(second) } else { expected = .absent }
                    XCTAssertEqual(r.field(first, second), expected, "field(\(first), \(second))")
                    XCTAssertEqual(r.field(first).recordField(second), expected)
                }
            }
        }
    }

    func testPresenceIsTheValuesPresence() {
        for r in records {
            for first in 0...kinds.count {
                XCTAssertEqual(r.isPresent(first), r.field(first).isPresent, "isPresent(\(first))")
                for second in 0..<3 {
                    XCTAssertEqual(r.isPresent(first, second), r.field(first, second).isPresent, "isPresent(\(first), \(second))")
                }
            }
        }
        // Worked out by hand: an empty list and an absent value are not present; the rest are.
        XCTAssertEqual((0..<kinds.count).filter { records[0].isPresent($0) }, [1, 2, 3, 4, 5, 7, 8, 9])
        // The first record field holds a date and an absent value; the second an empty list and a text.
        XCTAssertEqual([records[1].isPresent(8, 0), records[1].isPresent(8, 1), records[1].isPresent(9, 0), records[1].isPresent(9, 1)],
            [true, false, false, true])
    }

    func testHoldsRecordOnlyForRecords() {
        for r in records {
            XCTAssertEqual((0...kinds.count).filter { r.holdsRecord($0) }, [8, 9])
        }
    }

    func testListItemsAreTheListsItems() {
        for v in kinds {
            let items = v.withListItems { Array($0) }
            if case .list(let expected) = v {
                XCTAssertEqual(items, Array(expected))
            } else {
                XCTAssertNil(items, "\(v) is not a list")
            }
        }
    }
}
