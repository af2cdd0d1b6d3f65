import Foundation
import XCTest

@testable import BottomLine

/// A finding's fields before its workings, written in one piece with its rule's fields rendered
/// beforehand (`ReportJSON.RuleFields.writeHead`, as every streaming run writes them), read as
/// written field by field; and the decimal numbers written in place.
final class HeadWritingTests: XCTestCase {
    /// Every finding of a case of the shipped rules on the example cases at several dates, and
    /// variants of each with ids and items that need escaping, long and non-ASCII, and amounts at
    /// the edges: written with the head in one piece, each reads as written field by field, and
    /// Foundation reads back the case, item and amounts it was given.
    func testHeadInOnePieceReadsAsFieldByField() throws {
        let program = try XCTUnwrap(shippedRules.program)
        var inputs: [(file: String, bytes: [UInt8])] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: Repo.path("examples/cases")).sorted() {
            inputs.append((name, Array(try Data(contentsOf: URL(fileURLWithPath: Repo.path("examples/cases/" + name))))))
        }
        var written = 0
        var seen: Set<String> = []
        for asOf in ["2019-02-20", "2019-04-30", "2019-06-30", "2021-01-01"] {
            let report = shippedRules.evaluate(inputs: inputs, asOf: date(asOf), explaining: .all)
            for f in report.findings where f.group == nil {
                let rule = try XCTUnwrap(program.rules.first { $0.id == f.rule })
                let fields = ReportJSON().ruleFields(rule, asOf: date(asOf))
                for v in variants(of: f) {
                    var onePiece = JSONWriter()
                    var byField = JSONWriter()
                    ReportJSON().write(v, &onePiece, ruleFields: fields)
                    ReportJSON().write(v, &byField)
                    XCTAssertEqual(onePiece.string, byField.string, "\(f.rule) \(f.caseID) \(asOf)")
                    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(onePiece.bytes)) as? [String: Any])
                    XCTAssertEqual(object["case"] as? String, v.caseID)
                    XCTAssertEqual(object["item"] as? String, v.item)
                    XCTAssertEqual((object["late_by"] as? [String: Any])?["amount"] as? Int, v.lateBy?.amount)
                    XCTAssertEqual((object["time_left"] as? [String: Any])?["amount"] as? Int, v.timeLeft?.amount)
                    written += 1
                    if v.item != nil { seen.insert("item") }
                    if v.occurrence == nil { seen.insert("no occurrence") }
                    if v.done != nil { seen.insert("done") }
                    if v.due == nil { seen.insert("no due date") }
                    if v.lateBy?.unit == .workingDays { seen.insert("working days late") }
                    if v.timeLeft != nil { seen.insert("time left") }
                    seen.insert(v.outcome.rawValue)
                }
            }
        }
        // The comparison is of something: findings of every shape.
        XCTAssertGreaterThan(written, 1000)
        XCTAssertEqual(seen, ["item", "no occurrence", "done", "no due date", "working days late", "time left", "met", "breached",
            "overdue", "due_soon", "pending", "not_applicable", "incomplete"])
    }

    /// `f`, and `f` with a case id and item that need escaping (a quote, a backslash, a line
    /// break, a control character), one long and not ASCII, and amounts at the edges.
    private func variants(of f: Finding) -> [Finding] {
        func with(_ caseID: String, _ item: String?, _ lateBy: Amount?, _ timeLeft: Amount?) -> Finding {
            Finding(ruleText: f.ruleText, caseID: caseID, item: item, itemLabel: f.itemLabel, outcome: f.outcome, due: f.due, done: f.done,
                lateBy: lateBy, timeLeft: timeLeft, recorded: f.recorded, missing: f.missing, reason: f.reason, location: f.location,
                occurrence: f.occurrence)
        }
        return [
            f,
            with("C-\"7\"\\\n\u{1}", f.item.map { $0 + "\"" }, f.lateBy.map { Amount(0, $0.unit) }, f.timeLeft.map { Amount(Int.max, $0.unit) }),
            with("Ça-été-" + String(repeating: "0123456789", count: 4), "plan[1234567890]", f.lateBy.map { Amount(9, $0.unit) },
                f.timeLeft.map { Amount(10, $0.unit) }),
            with("", nil, f.lateBy.map { Amount(-12, $0.unit) }, nil),
        ]
    }

    /// Whole numbers written in place read as Swift writes them, at every length and both signs.
    func testDecimalsWrittenInPlace() {
        var numbers = [0, 1, 9, 10, 99, 100, 101, 999_999, 1_000_000, Int.max, Int.max - 1, -1, -9, -10, -12_345, Int.min, Int.min + 1]
        var limit = 10
        while limit < Int.max / 10 {
            numbers += [limit - 1, limit, -limit, -(limit - 1)]
            limit *= 10
        }
        var random = XorShift(seed: 0x5EED)
        for _ in 0..<1000 { numbers.append(Int(truncatingIfNeeded: random.next()) >> Int(random.next() % 63)) }
        var room = [UInt8](repeating: 0, count: ByteBuffer.decimalBound)
        for n in numbers {
            let count = room.withUnsafeMutableBufferPointer { ByteBuffer.writeDecimal(n, to: $0.baseAddress!) }
            XCTAssertLessThanOrEqual(count, ByteBuffer.decimalBound)
            XCTAssertEqual(String(decoding: room[..<count], as: UTF8.self), String(n))
        }
    }
}
