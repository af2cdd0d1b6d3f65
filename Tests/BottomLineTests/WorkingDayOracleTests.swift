import Foundation
import XCTest
@testable import BottomLine

/// Replays the independent oracle (numpy business days + the PyPI `holidays` package, made by
/// Scripts/make_working_day_oracle.py) against the shipped calendar, and checks that the shipped
/// calendar file lists exactly the oracle's holidays.
final class WorkingDayOracleTests: XCTestCase {
    struct Oracle: Decodable {
        struct Add: Decodable { let date: String; let n: Int; let expected: String }
        struct Between: Decodable { let from: String; let to: String; let expected: Int }
        let covers: [String]
        let holidays: [String]
        let add: [Add]
        let between: [Between]
    }

    func oracle() throws -> Oracle {
        let data = try Data(contentsOf: URL(fileURLWithPath: Repo.path("Tests/Fixtures/oracle/working-days-england-and-wales.json")))
        return try JSONDecoder().decode(Oracle.self, from: data)
    }

    func shippedCalendar() throws -> WorkingCalendar {
        try XCTUnwrap(shippedRules.program?.calendars["england-and-wales"], shippedRules.renderDiagnostics())
    }

    func testShippedCalendarMatchesIndependentHolidays() throws {
        let o = try oracle()
        let cal = try shippedCalendar()
        XCTAssertEqual(cal.holidays.map(\.date.description), o.holidays)
        XCTAssertEqual(cal.covers.lowerBound.description, o.covers[0])
        XCTAssertEqual(cal.covers.upperBound.description, o.covers[1])
    }

    func testReplayAdd() throws {
        let o = try oracle()
        let cal = try shippedCalendar()
        var failures: [String] = []
        for c in o.add {
            let got = cal.add(c.n, workingDaysTo: LocalDate(iso: c.date)!)
            if case .success(let s) = got, s.date.description == c.expected { continue }
            failures.append("\(c.date) + \(c.n): expected \(c.expected), got \(got)")
        }
        XCTAssertGreaterThanOrEqual(o.add.count, 2500)
        XCTAssertEqual(failures.count, 0, "\(failures.count) of \(o.add.count) differ; first: \(failures.prefix(20).joined(separator: "\n"))")
    }

    func testReplayBetween() throws {
        let o = try oracle()
        let cal = try shippedCalendar()
        var failures: [String] = []
        for c in o.between {
            let got = cal.workingDays(from: LocalDate(iso: c.from)!, to: LocalDate(iso: c.to)!)
            if case .success(let n) = got, n == c.expected { continue }
            failures.append("(\(c.from), \(c.to)]: expected \(c.expected), got \(got)")
        }
        XCTAssertGreaterThanOrEqual(o.between.count, 500)
        XCTAssertEqual(failures.count, 0, "\(failures.count) of \(o.between.count) differ; first: \(failures.prefix(20).joined(separator: "\n"))")
    }
}
