import XCTest
@testable import BottomLine

/// `DistinctValues` counts what a set of the same values counts.
final class DistinctValuesTests: XCTestCase {
    func distinct(_ values: [String]) -> DistinctValues {
        var d = DistinctValues.none
        for v in values { d.insert(v) }
        return d
    }

    func testInsertCountsEachValueOnce() {
        let cases: [(values: [String], count: Int)] = [
            ([], 0), (["a"], 1), (["a", "a"], 1), (["a", "b"], 2), (["a", "b", "a", "c", "b"], 3),
        ]
        for (values, count) in cases { XCTAssertEqual(distinct(values).count, count, "\(values)") }
        XCTAssertEqual(distinct(["a", "a"]), .one("a"), "a second copy of the one value makes no set")
    }
}
