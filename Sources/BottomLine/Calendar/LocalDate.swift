/// A calendar date with no time of day and no time zone, stored as a day number
/// (days since 1970-01-01 in the proleptic Gregorian calendar).
///
/// Dates inside the engine are always day numbers: parsing, comparison and arithmetic are
/// integer operations, never Foundation `Date` or `Calendar`.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let dayNumber: Int32

    /// A date from its day number.
    public init(dayNumber: Int32) { self.dayNumber = dayNumber }

    /// A date from year, month (1–12) and day (1–31); `nil` when no such date exists.
    public init?(year: Int, month: Int, day: Int) {
        if let n = LocalDate.modernDayNumber(year: year, month: month, day: day) {
            self.dayNumber = n
            return
        }
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= LocalDate.daysIn(month: month, year: year)
        else { return nil }
        self.dayNumber = Int32(LocalDate.daysFromCivil(year: year, month: month, day: day))
    }

    /// The day number of a real date in 1901–2099, where every fourth year is a leap year and
    /// no other is (so no century rule): a few multiplies and shifts, for dates made from their
    /// parts and for the month starts of `MonthTable` (a date read is looked up there instead).
    /// Nil for an impossible date, or one outside those years (`daysFromCivil` counts those).
    @inline(__always)
    static func modernDayNumber(year: Int, month: Int, day: Int) -> Int32? {
        guard year >= 1901, year <= 2099, month >= 1, month <= 12, day >= 1 else { return nil }
        let leap = year & 3 == 0
        guard day <= monthLength(month: month, leap: leap) else { return nil }
        // Days before the month: (367m − 362) / 12, less 2 after February (1 in a leap year).
        let beforeMonth = (367 &* month &- 362) / 12 &- (month > 2 ? (leap ? 1 : 2) : 0)
        // Days from 1970 to 1 January of the year: 365 a year and one for each leap year between
        // (`>> 2` rounds down, before 1970 too).
        let beforeYear = 365 &* (year &- 1970) &+ ((year &- 1969) &>> 2)
        return Int32(truncatingIfNeeded: beforeYear &+ beforeMonth &+ day &- 1)
    }

    /// The days in `month` (1–12) of a year that is or is not a leap year: 28 plus two bits a
    /// month, from bit 2 (January) to bit 24, and one more for February of a leap year.
    @inline(__always)
    static func monthLength(month: Int, leap: Bool) -> Int {
        28 &+ ((0x03BB_EECC &>> (2 &* month)) & 3) &+ (leap && month == 2 ? 1 : 0)
    }

    /// Parses an ISO 8601 calendar date `YYYY-MM-DD`; `nil` for anything else.
    public init?(iso text: String) {
        var text = text
        guard let date = text.withUTF8({ LocalDate.parseISO($0) }) else { return nil }
        self = date
    }

    /// Parses exactly ten bytes `YYYY-MM-DD`; `nil` for anything else, including impossible dates.
    ///
    /// The first eight bytes are checked as one word and the last two as another (snapshots hold
    /// dozens of dates each): every byte xor `0` must be a digit 0–9, and bytes 4 and 7 dashes;
    /// the day number is then looked up in `MonthTable` (a date outside its years, or an
    /// impossible one, is left to `init(year:month:day:)`).
    @inline(__always)
    public static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> LocalDate? { parseISO(b, months: MonthTable.shared) }

    /// As `parseISO(_:)`, with the month table at hand (a reader takes it once, where taking
    /// `MonthTable.shared` for each date called into the runtime to check that it was made).
    @inline(__always)
    static func parseISO(_ b: UnsafeBufferPointer<UInt8>, months: MonthTable) -> LocalDate? {
        guard b.count == 10, let p = b.baseAddress else { return nil }
        let raw = UnsafeRawPointer(p)
        let w = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) ^ 0x3030_3030_3030_3030
        let t = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)) ^ 0x3030
        // `-` xor `0` is 0x1D, at bytes 4 and 7.
        guard w & 0xFF00_00FF_0000_0000 == 0x1D00_001D_0000_0000 else { return nil }
        let digits = w & 0x00FF_FF00_FFFF_FFFF
        // A byte is 0–9 when neither it nor it plus 0x76 has its high bit set (a byte of 0x80
        // or more may carry into the next, which fails anyway by its own high bit).
        guard (digits | (digits &+ 0x0076_7600_7676_7676)) & 0x0080_8000_8080_8080 == 0,
            (t | (t &+ 0x7676)) & 0x8080 == 0
        else { return nil }
        @inline(__always) func byte(_ i: UInt64) -> Int { Int(truncatingIfNeeded: (w >> (8 &* i)) & 0xFF) }
        // (Four digits at most each: no sum can overflow.)
        let year = byte(0) &* 1000 &+ byte(1) &* 100 &+ byte(2) &* 10 &+ byte(3)
        let month = byte(5) &* 10 &+ byte(6)
        let day = Int(t & 0xFF) &* 10 &+ Int(t >> 8)
        // Nearly every date read falls in the month table's years: looked up there.
        if let n = months.dayNumber(year: year, month: month, day: day) { return LocalDate(dayNumber: n) }
        return LocalDate(year: year, month: month, day: day)
    }

    /// The (year, month, day) of this date.
    public var components: (year: Int, month: Int, day: Int) {
        MonthTable.shared.civil(dayNumber) ?? LocalDate.civilFromDays(Int(dayNumber))
    }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (ISO 4).
        let w = (Int(dayNumber) + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { return LocalDate.pad(y, 4) + "-" + LocalDate.pad(m, 2) + "-" + LocalDate.pad(d, 2) }
        // Ten ASCII bytes, made in place (a small string: no allocation).
        return String(unsafeUninitializedCapacity: 10) { b in
            LocalDate.writeISO(y, m, d, to: b.baseAddress!)
            return 10
        }
    }

    /// The most bytes `writeQuotedISO(to:)` writes: a date of any year, and the quotes.
    static let quotedISOBound = 32

    /// Writes `"YYYY-MM-DD"` (as `description`, quoted) at `p`, which has room for
    /// `quotedISOBound` bytes, without making a string; returns how many bytes it wrote.
    func writeQuotedISO(to p: UnsafeMutablePointer<UInt8>) -> Int { writeQuotedISO(to: p, months: MonthTable.shared) }

    /// As `writeQuotedISO(to:)`, with the month table at hand (a writer takes it once, where
    /// taking `MonthTable.shared` for each date called into the runtime to check that it was made).
    @inline(__always)
    func writeQuotedISO(to p: UnsafeMutablePointer<UInt8>, months: MonthTable) -> Int {
        let (y, m, d) = months.civil(dayNumber) ?? LocalDate.civilFromDays(Int(dayNumber))
        p[0] = 0x22
        guard (0...9999).contains(y) else {
            var text = description
            let n = min(text.utf8.count, LocalDate.quotedISOBound - 2)
            text.withUTF8 { (p + 1).update(from: $0.baseAddress!, count: n) }
            p[n + 1] = 0x22
            return n + 2
        }
        LocalDate.writeISO(y, m, d, to: p + 1)
        p[11] = 0x22
        return 12
    }

    /// Writes the ten bytes `YYYY-MM-DD` of a date in years 0–9999 at `b`.
    @inline(__always)
    private static func writeISO(_ y: Int, _ m: Int, _ d: Int, to b: UnsafeMutablePointer<UInt8>) {
        // Two digits at a time from a table: the divisions by 10 of each digit cost more.
        let t = LocalDate.twoDigits.utf8Start
        let hi = y / 100
        let lo = y - hi * 100
        b[0] = t[2 * hi]
        b[1] = t[2 * hi + 1]
        b[2] = t[2 * lo]
        b[3] = t[2 * lo + 1]
        b[4] = 0x2D
        b[5] = t[2 * m]
        b[6] = t[2 * m + 1]
        b[7] = 0x2D
        b[8] = t[2 * d]
        b[9] = t[2 * d + 1]
    }

    /// `00`, `01`, … `99`. (A string literal lies in the program as written: an array made on
    /// first use was checked to be made, a call into the runtime, for every date written.)
    private static var twoDigits: StaticString {
        """
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
    }

    /// The form people read in workings out: `Mon 4 Mar 2019`.
    public var longDescription: String {
        let (y, m, d) = components
        return "\(LocalDate.weekdayNames[weekday - 1]) \(d) \(LocalDate.monthNames[m - 1]) \(y)"
    }

    /// This date plus `days` calendar days.
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + Int32(days)) }

    /// This date plus `months` calendar months, by the "corresponding date" rule: the same day of
    /// the month, or the last day of the month where that day does not exist (`clamped` is then true).
    public func adding(months: Int) -> (date: LocalDate, clamped: Bool) { adding(months: months, in: MonthTable.shared) }

    /// As `adding(months:)`, with the month table at hand (an evaluator takes it once, where
    /// taking `MonthTable.shared` for each date called into the runtime to check that it was made).
    @inline(__always)
    func adding(months: Int, in table: MonthTable) -> (date: LocalDate, clamped: Bool) {
        // (Dates of 1901–2099 by table: a monthly schedule adds a month on every occurrence.)
        if let r = table.adding(months: months, to: dayNumber) { return r }
        return addingByCalendar(months: months)
    }

    /// `adding(months:)` counted through the calendar, for dates outside the month table's years.
    private func addingByCalendar(months: Int) -> (date: LocalDate, clamped: Bool) {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        let last = LocalDate.daysIn(month: nm, year: ny)
        let nd = min(d, last)
        let days = LocalDate.modernDayNumber(year: ny, month: nm, day: nd) ?? Int32(LocalDate.daysFromCivil(year: ny, month: nm, day: nd))
        return (LocalDate(dayNumber: days), nd != d)
    }

    /// Calendar days from `self` to `other` (positive when `other` is later).
    public func days(to other: LocalDate) -> Int { Int(other.dayNumber) - Int(dayNumber) }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    /// Number of days in a month of a year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    @inline(__always)
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let mp = month <= 2 ? month + 9 : month - 3
        if year >= 1 {
            // Every date a `LocalDate` is made from: all quantities are non-negative, so they are
            // divided as unsigned numbers (shifts and multiplies, no signed-division fix-ups).
            let y = UInt(bitPattern: month <= 2 ? year - 1 : year)
            let era = y / 400
            let yoe = y - era * 400
            let doy = (153 * UInt(bitPattern: mp) + 2) / 5 + UInt(bitPattern: day) - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return Int(bitPattern: era * 146097 + doe) - 719468
        }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ n: Int) -> (year: Int, month: Int, day: Int) {
        // Neri and Schneider, "Euclidean affine functions and their application to calendar
        // algorithms" (2023): divisions by constants only, which compile to multiplies and shifts
        // (Hinnant's below costs about a hundred instructions, and months are added to dates on
        // every occurrence of a monthly schedule). Valid from about year -32,800 to 2,900,000;
        // Hinnant's serves beyond.
        let shift: UInt32 = 82  // 400-year eras moved forward so that every quantity is unsigned
        let k = 719468 + 146097 * Int(shift)
        guard n >= -k, n < 1_000_000_000 - k else { return civilFromDaysAnyDay(n) }
        let days = UInt32(n + k)
        // Century, and day of the century.
        let n1 = 4 &* days &+ 3
        let century = n1 / 146097
        let dayOfCentury = n1 % 146097 / 4
        // Year of the century, and day of the year (from 1 March).
        let n2 = UInt64(4 &* dayOfCentury &+ 3) &* 2939745
        let yearOfCentury = UInt32(truncatingIfNeeded: n2 >> 32)
        let dayOfYear = UInt32(truncatingIfNeeded: n2) / 2939745 / 4
        // Month (3–14, from March) and day.
        let n3 = 2141 &* dayOfYear &+ 197913
        let m = n3 >> 16
        let d = (n3 & 0xFFFF) / 2141
        let january = dayOfYear >= 306
        let year = Int(100 &* century &+ yearOfCentury) - 400 * Int(shift) + (january ? 1 : 0)
        return (year, Int(january ? m &- 12 : m), Int(d) + 1)
    }

    /// Hinnant's civil_from_days, for any day number.
    static func civilFromDaysAnyDay(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
