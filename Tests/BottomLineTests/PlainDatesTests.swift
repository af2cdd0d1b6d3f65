import Foundation
import XCTest
@testable import BottomLine

/// Lists of dates written as exporters write them (`["2019-03-04", "2019-04-01"]`) are read in one
/// pass (`readPlainDates`), or not at all, the cursor not moved, for the general reader. The
/// oracle is independent of the reader: Foundation's JSON parser, and `LocalDate(iso:)` for each
/// date it gives.
final class PlainDatesTests: XCTestCase {
    /// What the plain pass makes of `text` (at its `[`): the dates and where it ended; nil when it
    /// gave up (then it must not have moved).
    func plain(_ text: String) throws -> (dates: [LocalDate], end: Int)? {
        let p = try XCTUnwrap(RuleSet.load(sources: [("t.rules", "schema case\n  case_id: text\n")]).program)
        let reader = SnapshotReader(readingFor: p)
        return Array(text.utf8).withUnsafeBufferPointer { b in
            let run = ReadRun(reader: reader, cursor: JSONCursor(b), file: "f")
            var c = JSONCursor(b)
            guard let v = run.readPlainDates(&c) else {
                XCTAssertEqual(c.pos, 0, text)
                return nil
            }
            guard case .list(let items) = v else {
                XCTFail("not a list: \(text)")
                return nil
            }
            return (items.compactMap { if case .date(let d) = $0 { d } else { nil } }, c.pos)
        }
    }

    /// The dates Foundation reads from `text`, when it is a list of strings each a real date.
    func oracle(_ text: String) -> [LocalDate]? {
        guard let strings = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] else { return nil }
        let dates = strings.compactMap { LocalDate(iso: $0) }
        return dates.count == strings.count ? dates : nil
    }

    func testPlainListsOfDates() throws {
        for text in [#"["2019-03-04"]"#, #"["2019-03-04", "2019-04-01", "2020-02-29", "1999-12-31"]"#] {
            let read = try XCTUnwrap(try plain(text), text)
            XCTAssertEqual(read.dates, oracle(text), text)
            XCTAssertEqual(read.end, text.utf8.count, text)
        }
        // By hand: the second list's last date and its count.
        XCTAssertEqual(try plain(#"["2019-03-04", "1999-12-31"]"#)?.dates, [LocalDate(iso: "2019-03-04")!, LocalDate(iso: "1999-12-31")!])
        // Written otherwise: left to the general reader (which reads or rejects it, with its errors).
        for text in [
            "[]", "[ ]", #"[ "2019-03-04"]"#, #"["2019-03-04","2019-04-01"]"#, #"["2019-03-04" , "2019-04-01"]"#,
            #"["2019-03-04",  "2019-04-01"]"#, #"["2019-3-04"]"#, #"["2019-02-30"]"#, "[null]", #"["2019-03-04", null]"#,
            #"["2019-03-04""#, #"["2019-03-04", "#, "[\"2019-03-04\"\n]",
        ] {
            XCTAssertNil(try plain(text), text)
        }
    }

    /// Byte mutations of a plain list: whenever the plain pass reads one, Foundation reads the same
    /// dates from the bytes it took; when it gives up, it has not moved.
    func testMutationsReadWhatFoundationReads() throws {
        let valid = Array(#"["2019-03-04", "2019-04-01", "2020-02-29"]"#.utf8)
        var random = XorShift(seed: 0x9E3779B97F4A7C15)
        var (read, gaveUp) = (0, 0)
        for _ in 0..<3000 {
            let input = random.mutate(valid, upTo: 2, from: XorShift.jsonBytes)
            let text = String(decoding: input, as: UTF8.self)
            guard input.first == 0x5B else { continue }
            if let r = try plain(text) {
                read += 1
                let taken = String(decoding: input[..<r.end], as: UTF8.self)
                XCTAssertEqual(r.dates, oracle(taken), text)
            } else {
                gaveUp += 1
            }
        }
        // Both kinds were tried.
        XCTAssertGreaterThan(read, 100)
        XCTAssertGreaterThan(gaveUp, 1000)
    }
}
