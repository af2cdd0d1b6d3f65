import Foundation
import XCTest
@testable import BottomLine

/// Steps of the workings written into JSON by ways of their own (a working-day step's source
/// written from its parts) must read as the step `StepParts` words; and a `for each` item's name
/// made in room on the stack must be its path's text without `case.`.
final class StepWritingTests: XCTestCase {
    /// Working-day steps with calendars of every kind of name (plain, needing escapes, not
    /// ASCII, long), each way of counting, with and without skipped holidays: written compact
    /// and pretty, each reads back (by Foundation's parser) as the parts `StepParts` words.
    func testWorkingDayStepsReadAsTheirWords() throws {
        let names = ["england-and-wales", "x", "", "with \"quotes\"", "back\\slash", "tab\there", "Cymru–Wales ✓",
                     String(repeating: "long-calendar-name-", count: 12)]
        let day = LocalDate(iso: "2026-03-02")!
        // (Holidays' names of every kind too, in notes written from their parts; one outside the
        // month table's years, 1901–2099.)
        let holidays = [
            [], [Holiday(date: LocalDate(iso: "2026-04-03")!, name: "Good Friday")],
            [Holiday(date: LocalDate(iso: "2026-04-03")!, name: "Good Friday"), Holiday(date: LocalDate(iso: "2026-04-06")!, name: "Easter Monday")],
            [Holiday(date: LocalDate(iso: "2026-12-25")!, name: "a \"quoted\" day"), Holiday(date: LocalDate(iso: "2026-12-28")!, name: "Gŵyl San Steffan")],
            [Holiday(date: LocalDate(iso: "2100-01-01")!, name: ""), Holiday(date: LocalDate(iso: "2100-01-04")!, name: String(repeating: "a long name ", count: 9))],
        ]
        var written = 0
        for name in names {
            for counting in [DayCounting?.none, .fromNextDay, .startDayIsDayOne] {
                for skipped in holidays {
                    let event = TraceEvent.shift(label: "+ 10 working days", result: day, calendar: name, skipped: skipped,
                        clamped: false, counting: counting)
                    let parts = StepParts(event)
                    for pretty in [false, true] {
                        var w = JSONWriter(pretty: pretty)
                        withUnsafePointer(to: event) { ReportJSON().writeStep($0, &w) }
                        let read = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(w.string.utf8)) as? [String: String], w.string)
                        XCTAssertEqual(read, ["step": parts.step, "value": parts.value.text, "from": parts.from, "note": parts.note!], w.string)
                        XCTAssertEqual(read["from"], "calendar " + name)
                        written += 1
                    }
                }
            }
        }
        XCTAssertEqual(written, names.count * 3 * holidays.count * 2)
        // By hand: the source and the note of a step that skipped no holiday.
        var w = JSONWriter()
        withUnsafePointer(to: TraceEvent.shift(label: "+ 1 working day", result: day, calendar: "england-and-wales", skipped: [],
            clamped: false, counting: .startDayIsDayOne)) { ReportJSON().writeStep($0, &w) }
        XCTAssertEqual(w.string, #"{"step":"+ 1 working day","value":"2026-03-02","from":"calendar england-and-wales","note":"no holidays in range; the start day counts as day 1"}"#)
        // By hand: the note of a step that skipped two holidays.
        w = JSONWriter()
        withUnsafePointer(to: TraceEvent.shift(label: "+ 10 working days", result: day, calendar: "england-and-wales",
            skipped: holidays[2], clamped: false, counting: .fromNextDay)) { ReportJSON().writeStep($0, &w) }
        XCTAssertEqual(w.string, #"{"step":"+ 10 working days","value":"2026-03-02","from":"calendar england-and-wales","note":"skipped Good Friday (2026-04-03), Easter Monday (2026-04-06); counting from the next day"}"#)
    }

    /// Dates written into JSON (by the writer's own month table, or by counting through the
    /// calendar outside its years, 1901–2099) read as the year, month and day they were made of.
    func testDatesAreWrittenAsTheirParts() {
        let parts = [(1, 1, 1), (1899, 12, 31), (1900, 2, 28), (1900, 12, 31), (1901, 1, 1), (1904, 2, 29), (2000, 2, 29),
                     (2019, 4, 22), (2099, 12, 31), (2100, 1, 1), (2100, 2, 28), (2400, 2, 29), (9999, 12, 31)]
        for (y, m, d) in parts {
            let date = LocalDate(year: y, month: m, day: d)!
            var w = JSONWriter()
            w.beginArray()
            w.date(date)
            w.object("step", "s", "value", date, "from", "f", "note", nil)
            w.endArray()
            let text = String(format: "\"%04d-%02d-%02d\"", y, m, d)
            XCTAssertEqual(w.string, "[\(text),{\"step\":\"s\",\"value\":\(text),\"from\":\"f\"}]")
        }
    }

    /// An item's name (`textWithinCase`) is its path's text without the leading `case.`, for
    /// short paths, paths longer than the room on the stack (and twice it), fields not ASCII, deeper
    /// paths, a position alone and an empty field.
    func testItemNamesAreTheirPathsWithoutCase() {
        let long = String(repeating: "a_very_long_field_name_", count: 6)
        let paths: [(ValuePath, String)] = [
            (ValuePath(PathNode.root.child("cp_plans"), index: 0), "cp_plans[0]"),
            (ValuePath(PathNode.root.child("section47"), index: 12), "section47[12]"),
            (ValuePath(PathNode.root.child("looked_after").child("placements"), index: 3, field: "end"), "looked_after.placements[3].end"),
            (ValuePath(PathNode.root.child("lists").element(2).child("items"), index: 1_234_567), "lists[2].items[1234567]"),
            (ValuePath(PathNode.root.child(long), index: 5, field: long), "\(long)[5].\(long)"),
            (ValuePath(PathNode.root.child("pièces"), index: 1, field: "dâte"), "pièces[1].dâte"),
            (ValuePath(PathNode.root.child(String(repeating: "x", count: 80)), index: 10, field: "abcd"), String(repeating: "x", count: 80) + "[10].abcd"),
            (ValuePath(PathNode.root.child(String(repeating: "x", count: 87)), index: 10), String(repeating: "x", count: 87) + "[10]"),
            (ValuePath(PathNode.root.child(String(repeating: "x", count: 88)), index: 10), String(repeating: "x", count: 88) + "[10]"),
            (ValuePath(PathNode(parent: nil, field: "other").child("list"), index: 0), "other.list[0]"),
            // A node of a position alone, and an empty field: written all the same.
            (ValuePath(PathNode(parent: nil, field: nil, index: 3)), "[3]"),
            (ValuePath(PathNode.root.child("visits"), index: 0, field: ""), "visits[0]."),
        ]
        for (path, expected) in paths {
            XCTAssertEqual(path.textWithinCase, expected)
            XCTAssertEqual(path.text, path.text.hasPrefix("case.") ? "case." + expected : expected)
        }
    }
}
