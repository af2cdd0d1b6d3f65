import XCTest
@testable import BottomLine

/// The date rules of Grammar.md, each pinned by cases worked out by hand from a printed calendar.
final class CalendarSemanticsTests: XCTestCase {
    var cal: WorkingCalendar { shippedRules.program!.calendars["england-and-wales"]! }

    func add(_ d: String, _ n: Int, _ counting: DayCounting = .fromNextDay) -> String {
        switch cal.add(n, workingDaysTo: date(d), counting: counting) {
        case .success(let s): return s.date.description
        case .failure(let e): return e.message
        }
    }

    func testAddingWorkingDays() {
        let table: [(String, Int, DayCounting, String, String)] = [
            ("2019-03-04", 15, .fromNextDay, "2019-03-25", "the icpc example: Mon + 15 = Mon three weeks on"),
            ("2022-05-27", 5, .fromNextDay, "2022-06-07", "skips Thu 2 and Fri 3 June 2022"),
            ("2019-03-09", 1, .fromNextDay, "2019-03-11", "Saturday + 1 = Monday"),
            ("2019-03-08", 1, .fromNextDay, "2019-03-11", "Friday + 1 = Monday"),
            ("2019-03-10", 0, .fromNextDay, "2019-03-10", "+ 0 is the day itself, even a Sunday"),
            ("2019-03-25", -15, .fromNextDay, "2019-03-04", "backwards"),
            ("2019-03-10", -1, .fromNextDay, "2019-03-08", "Sunday - 1 = Friday"),
            ("2019-04-18", 1, .fromNextDay, "2019-04-23", "Thursday before Easter + 1 = Tuesday after"),
            ("2020-12-24", 1, .fromNextDay, "2020-12-29", "Christmas 2020: 25, 28 (Boxing Day substitute) skipped"),
            ("2019-03-04", 15, .startDayIsDayOne, "2019-03-22", "a working start day is day 1"),
            ("2019-03-09", 1, .startDayIsDayOne, "2019-03-11", "a Saturday start is not a working day: Monday is day 1"),
        ]
        for (d, n, counting, expected, why) in table {
            XCTAssertEqual(add(d, n, counting), expected, why)
        }
    }

    func testSkippedHolidaysAreNamed() throws {
        guard case .success(let s) = cal.add(5, workingDaysTo: date("2022-05-27")) else { return XCTFail() }
        XCTAssertEqual(s.skippedHolidays.map(\.date.description), ["2022-06-02", "2022-06-03"])
        XCTAssertEqual(s.skippedHolidays.map(\.name), ["Spring bank holiday (moved for the Platinum Jubilee)", "Platinum Jubilee bank holiday"])
    }

    func testCountingWorkingDays() {
        let table: [(String, String, Int)] = [
            ("2019-03-04", "2019-03-25", 15),
            ("2019-03-04", "2019-03-04", 0),
            ("2019-04-18", "2019-04-22", 0),  // (Thu, Easter Mon]: Good Friday, weekend, Easter Monday
            ("2019-04-18", "2019-04-23", 1),
            ("2019-03-25", "2019-03-04", -15),
        ]
        for (a, b, n) in table {
            XCTAssertEqual(try cal.workingDays(from: date(a), to: date(b)).get(), n, "(\(a), \(b)]")
        }
    }

    func testOutsideTheCalendar() {
        XCTAssertEqual(add("2030-12-20", 15), "calendar `england-and-wales` covers 2012-01-01 to 2030-12-31 and has no holidays for 2031")
        XCTAssertEqual(add("2012-01-05", -15), "calendar `england-and-wales` covers 2012-01-01 to 2030-12-31 and has no holidays for 2011")
        XCTAssertEqual(add("2011-06-01", 1), "calendar `england-and-wales` covers 2012-01-01 to 2030-12-31 and has no holidays for 2011")
    }

    func testLocalDate() {
        XCTAssertNotNil(LocalDate(iso: "2020-02-29"))
        for bad in ["2019-02-29", "2019-02-30", "2019-13-01", "2019-3-4", "04/03/2019", "2019-03-04T00:00:00", "", "2019-00-10"] {
            XCTAssertNil(LocalDate(iso: bad), bad)
        }
        XCTAssertEqual(LocalDate(dayNumber: 0).weekday, 4)  // 1970-01-01 was a Thursday
        XCTAssertEqual(date("2019-03-04").weekday, 1)
        XCTAssertEqual(date("2019-03-04").longDescription, "Mon 4 Mar 2019")
        let months: [(String, Int, String, Bool)] = [
            ("2019-01-31", 1, "2019-02-28", true), ("2020-01-31", 1, "2020-02-29", true),
            ("2019-03-15", 1, "2019-04-15", false), ("2019-08-31", 6, "2020-02-29", true),
            ("2019-03-31", -1, "2019-02-28", true), ("2019-12-15", 1, "2020-01-15", false),
        ]
        for (d, n, expected, clamped) in months {
            let r = date(d).adding(months: n)
            XCTAssertEqual(r.date.description, expected, "\(d) + \(n) months")
            XCTAssertEqual(r.clamped, clamped, "\(d) + \(n) months")
        }
        // Round trip of every day 1900–2100.
        var d = date("1900-01-01").dayNumber
        while d <= date("2100-12-31").dayNumber {
            let x = LocalDate(dayNumber: d)
            let (y, m, dd) = x.components
            XCTAssertEqual(LocalDate(year: y, month: m, day: dd)?.dayNumber, d)
            if d % 997 == 0 { XCTAssertEqual(LocalDate(iso: x.description), x) }
            d += 1
        }
        // Day numbers checked against Python's `date.toordinal() - date(1970, 1, 1).toordinal()`,
        // at the ends of the range a date can have and around leap days of century years.
        let ordinals: [(String, Int32)] = [
            ("0001-01-01", -719162), ("0001-03-01", -719103), ("1600-02-29", -135081), ("1900-03-01", -25508),
            ("2000-02-29", 11016), ("2400-03-01", 157114), ("9999-12-31", 2932896),
        ]
        for (iso, n) in ordinals {
            XCTAssertEqual(LocalDate(iso: iso)?.dayNumber, n, iso)
            XCTAssertEqual(LocalDate(dayNumber: n).description, iso)
        }
        // The fast civil_from_days (Neri and Schneider) against Hinnant's, an independent
        // algorithm: every 13th day from year 1 to 9999 (13 is prime to 7 and to the lengths of
        // months and years, so every weekday, day of the month and leap case is met), and each
        // day around the ends of the fast one's range, where it hands over.
        var n = -719162
        while n <= 2932896 {
            let fast = LocalDate.civilFromDays(n), other = LocalDate.civilFromDaysAnyDay(n)
            XCTAssertTrue(fast == other, "day \(n): \(fast) against \(other)")
            n += 13
        }
        let k = 719468 + 146097 * 82
        for n in [-k - 2, -k - 1, -k, -k + 1, 999_999_999 - k, 1_000_000_000 - k, 1_000_000_001 - k, 0, -1, 59, 60] {
            let fast = LocalDate.civilFromDays(n), other = LocalDate.civilFromDaysAnyDay(n)
            XCTAssertTrue(fast == other, "day \(n): \(fast) against \(other)")
        }
        // Every day of the first and last years, one after another.
        for (first, last) in [("0001-01-01", "0003-12-31"), ("9997-01-01", "9999-12-31")] {
            var n = date(first).dayNumber
            while n <= date(last).dayNumber {
                let (y, m, dd) = LocalDate(dayNumber: n).components
                XCTAssertEqual(LocalDate(year: y, month: m, day: dd)?.dayNumber, n)
                n += 1
            }
        }
    }

    /// Day numbers of 1901–2099 by the short formula (`modernDayNumber`) against Hinnant's
    /// days-from-civil, for every day of 1890–2110 (both ends of the formula's years and the
    /// century years beside them, where the rules differ), and every impossible day, month and
    /// year around them: each is nil, or the same day number.
    func testModernDayNumbersAgreeWithHinnant() {
        var checked = 0
        for year in 1890...2110 {
            for month in -1...14 {
                for day in -1...33 {
                    let fast = LocalDate.modernDayNumber(year: year, month: month, day: day)
                    let real = (1...12).contains(month) && day >= 1 && day <= LocalDate.daysIn(month: month, year: year)
                    let inRange = (1901...2099).contains(year)
                    if inRange && real {
                        XCTAssertEqual(fast.map(Int.init), LocalDate.daysFromCivil(year: year, month: month, day: day), "\(year)-\(month)-\(day)")
                        checked += 1
                    } else {
                        XCTAssertNil(fast, "\(year)-\(month)-\(day)")
                    }
                    XCTAssertEqual(LocalDate(year: year, month: month, day: day)?.dayNumber,
                        real ? Int32(LocalDate.daysFromCivil(year: year, month: month, day: day)) : nil, "\(year)-\(month)-\(day)")
                }
            }
        }
        // Every day of 1901–2099: 199 years of 365 days and 49 leap days (1904 to 2096).
        XCTAssertEqual(checked, 199 * 365 + 49)
        // Months added across the edges of those years, against the same counts by Hinnant's.
        for (from, n, expected) in [("1900-12-31", 2, "1901-02-28"), ("2099-12-31", 2, "2100-02-28"), ("1901-01-31", -1, "1900-12-31"),
            ("2096-01-31", 1, "2096-02-29"), ("2000-01-31", 1, "2000-02-29"), ("1900-01-31", 1, "1900-02-28")] {
            XCTAssertEqual(date(from).adding(months: n).date.description, expected, "\(from) + \(n)")
        }
    }

    /// A date's year, month and day from the table of 1901–2099 (`MonthTable`) against
    /// Hinnant's civil-from-days, an independent algorithm, for every day of 1890–2110: the same
    /// inside those years, nil outside them (where `components` counts instead); and the month
    /// starts of the table against `daysFromCivil`.
    func testMonthTableAgreesWithHinnant() {
        let table = MonthTable.shared
        var inside = 0
        var n = date("1890-01-01").dayNumber
        while n <= date("2110-12-31").dayNumber {
            let other = LocalDate.civilFromDaysAnyDay(Int(n))
            if let t = table.civil(n) {
                if t != other { XCTFail("day \(n): \(t) against \(other)") }
                inside += 1
            } else {
                XCTAssertFalse((1901...2099).contains(other.year), "day \(n), \(other)")
            }
            XCTAssertTrue(LocalDate(dayNumber: n).components == other, "day \(n)")
            n += 1
        }
        XCTAssertEqual(inside, 199 * 365 + 49)
        XCTAssertEqual(table.starts.count, 199 * 12 + 1)
        for (i, start) in table.starts.enumerated() {
            XCTAssertEqual(Int(start), LocalDate.daysFromCivil(year: 1901 + i / 12, month: i % 12 + 1, day: 1), "month \(i)")
        }
    }

    /// Months added by the table of 1901–2099 (`MonthTable`) against the general arithmetic
    /// written out here (floor division by 12, the month's length by `daysIn`, the day number by
    /// Hinnant's): every fifth day of 1880–2120 plus each of −30…30 months, and amounts around
    /// the ends of the table (±2,387 to ±2,400 months), where it hands over.
    func testAddingMonthsAgreesWithTheGeneralArithmetic() {
        func general(_ d: LocalDate, _ n: Int) -> (Int32, Bool) {
            let (y, m, day) = d.components
            let total = y * 12 + (m - 1) + n
            let ny = total >= 0 ? total / 12 : (total - 11) / 12
            let nm = total - ny * 12 + 1
            let nd = min(day, LocalDate.daysIn(month: nm, year: ny))
            return (Int32(LocalDate.daysFromCivil(year: ny, month: nm, day: nd)), nd != day)
        }
        var checked = 0
        var n = date("1880-01-01").dayNumber
        while n <= date("2120-12-31").dayNumber {
            let d = LocalDate(dayNumber: n)
            for months in Array(-30...30) + Array(2387...2400) + Array(-2400 ... -2387) {
                let r = d.adding(months: months), g = general(d, months)
                if r.date.dayNumber != g.0 || r.clamped != g.1 {
                    XCTFail("\(d) + \(months) months: \(r.date) (clamped \(r.clamped)), expected \(LocalDate(dayNumber: g.0)) (clamped \(g.1))")
                }
                checked += 1
            }
            n += 5
        }
        XCTAssertGreaterThan(checked, 1_300_000)
    }

    /// A date's day number from the table of 1901–2099 (`MonthTable.dayNumber`, which the ISO
    /// parser uses) against Hinnant's days-from-civil, with the month's length by `daysIn`: every
    /// year of 1890–2110, month 0–13 and day 0–32, so impossible dates and the years on either
    /// side of the table's are among them (nil there: the parser then asks the general rule).
    func testDayNumberFromTheMonthTableAgreesWithHinnant() {
        let table = MonthTable.shared
        var found = 0
        for year in 1890...2110 {
            for month in 0...13 {
                for day in 0...32 {
                    let real = (1...12).contains(month) && day >= 1 && day <= LocalDate.daysIn(month: month, year: year)
                    let expected = real && (1901...2099).contains(year)
                        ? Int32(LocalDate.daysFromCivil(year: year, month: month, day: day)) : nil
                    let got = table.dayNumber(year: year, month: month, day: day)
                    if got != expected { XCTFail("\(year)-\(month)-\(day): \(String(describing: got)), expected \(String(describing: expected))") }
                    if got != nil { found += 1 }
                }
            }
        }
        XCTAssertEqual(found, 199 * 365 + 49)
    }

    /// The word-at-a-time ISO parser against a byte-at-a-time one written here (the parser it
    /// replaced): every day of years 1–3, 1899–2101 and 9997–9999, every string of ten bytes
    /// that differs from a valid date in one byte (each byte replaced by each of the 256
    /// values), and impossible dates.
    func testParseISOAgainstAByteAtATimeParser() {
        func slow(_ b: [UInt8]) -> LocalDate? {
            guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
            var d: [Int] = []
            for i in [0, 1, 2, 3, 5, 6, 8, 9] {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                d.append(Int(b[i] - 0x30))
            }
            return LocalDate(year: d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3], month: d[4] * 10 + d[5], day: d[6] * 10 + d[7])
        }
        func fast(_ b: [UInt8]) -> LocalDate? { b.withUnsafeBufferPointer { LocalDate.parseISO($0) } }
        var checked = 0
        for (first, last) in [("0001-01-01", "0003-12-31"), ("1899-01-01", "2101-12-31"), ("9997-01-01", "9999-12-31")] {
            var n = date(first).dayNumber
            while n <= date(last).dayNumber {
                let text = Array(LocalDate(dayNumber: n).description.utf8)
                XCTAssertEqual(fast(text)?.dayNumber, n, String(decoding: text, as: UTF8.self))
                n += 1
                checked += 1
            }
        }
        XCTAssertEqual(checked, 3 * 365 + (203 * 365 + 49) + 3 * 365)  // 49 leap days in 1904–2096; none in 1900 or 2100
        for valid in ["2019-03-04", "2000-02-29", "0001-01-01", "9999-12-31"] {
            for i in 0..<10 {
                for v in 0...255 {
                    var b = Array(valid.utf8)
                    b[i] = UInt8(v)
                    XCTAssertEqual(fast(b), slow(b), "\(valid) with byte \(i) = \(v)")
                }
            }
        }
        for bad in ["2019-02-29", "2019-04-31", "2019-13-01", "2019-00-10", "2019-01-00", "0000-01-01", "2019-1-01",
            "1900-02-29", "2100-02-29", "2099-11-31", "1901-06-31", "2099-02-29",
            "2019/01/01", "2019-01-011", "20190101", " 2019-01-0"]
        {
            XCTAssertNil(fast(Array(bad.utf8)), bad)
            XCTAssertNil(slow(Array(bad.utf8)), bad)
        }
    }
}

/// How amounts of time are written in workings and messages.
final class DurationWordingTests: XCTestCase {
    func testSingularIsThePluralLessItsS() {
        for unit in DurationUnit.allCases {
            XCTAssertEqual(unit.singular, String(unit.rawValue.dropLast()), unit.rawValue)
            XCTAssertEqual(unit.describe(1), "1 " + unit.singular)
            XCTAssertEqual(unit.describe(-1), "-1 " + unit.singular)
            XCTAssertEqual(unit.describe(3), "3 " + unit.rawValue)
        }
        XCTAssertEqual(DurationUnit.workingDays.describe(15), "15 working days")
    }
}
