/// The months of 1901–2099 (the years of nearly every date a snapshot holds) as a table: the
/// first day of each month, and for each day the month it falls in. The three date conversions
/// a run makes most then become look-ups and a subtraction or addition: a date read (dozens a
/// snapshot) to its day number, a date's year, month and day (every date written in workings),
/// and a date plus some months (every occurrence of a monthly schedule), where counting through
/// the calendar (`LocalDate.civilFromDays`) cost some thirty instructions and adding months
/// some ninety. Made once, on first use: 2,389 month starts and 72,684 days (about 150 KB).
/// Dates outside those years are counted as before.
struct MonthTable: @unchecked Sendable {  // (Read only, once made: see `init`.)
    /// The first month of the table, January 1901, is month 0; December 2099 is month 2,387.
    static let months = 199 * 12

    /// The day number of the first day of each month, and of 1 January 2100 after the last.
    let starts: UnsafeBufferPointer<Int32>
    /// For each day from 1 January 1901, the month it falls in.
    let monthOfDay: UnsafeBufferPointer<UInt16>

    /// The table (one value, so that a look-up checks once that it is made).
    static let shared = MonthTable()

    /// (The table is made once for the whole process and never freed, so its parts are held as
    /// buffers of their own, not arrays: a copy of the table, which a reader and an evaluator
    /// each take, then counts no reference. Arrays held by a copy taken for a schedule's walk
    /// were counted for every walk.)
    private init() {
        let starts = (0...MonthTable.months).map { i in
            LocalDate.modernDayNumber(year: 1901 + i / 12, month: i % 12 + 1, day: 1)
                ?? Int32(LocalDate.daysFromCivil(year: 2100, month: 1, day: 1))
        }
        var days: [UInt16] = []
        days.reserveCapacity(Int(starts[MonthTable.months] - starts[0]))
        for i in 0..<MonthTable.months {
            days.append(contentsOf: repeatElement(UInt16(i), count: Int(starts[i + 1] - starts[i])))
        }
        self.starts = MonthTable.immortal(starts)
        monthOfDay = MonthTable.immortal(days)
    }

    /// A buffer of its own holding `values`, never freed.
    private static func immortal<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
        let b = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
        _ = b.initialize(from: values)
        return UnsafeBufferPointer(b)
    }

    /// The month `dayNumber` falls in and its day of that month; nil outside 1901–2099.
    @inline(__always)
    func month(of dayNumber: Int32) -> (month: Int, day: Int)? {
        let i = Int(dayNumber) &- Int(starts[0])
        guard i >= 0, i < monthOfDay.count else { return nil }
        let m = Int(monthOfDay[i])
        return (m, Int(dayNumber &- starts[m]) &+ 1)
    }

    /// The day number of a real date in 1901–2099; nil for an impossible date or one outside
    /// those years (`LocalDate(year:month:day:)` tells which).
    @inline(__always)
    func dayNumber(year: Int, month: Int, day: Int) -> Int32? {
        guard UInt(bitPattern: year &- 1901) < 199, UInt(bitPattern: month &- 1) < 12, day >= 1 else { return nil }
        let i = (year &- 1901) &* 12 &+ (month &- 1)
        let first = starts[i]
        guard day <= Int(starts[i &+ 1] &- first) else { return nil }
        return first &+ Int32(truncatingIfNeeded: day) &- 1
    }

    /// The year, month (1–12) and day of `dayNumber`; nil outside 1901–2099.
    @inline(__always)
    func civil(_ dayNumber: Int32) -> (year: Int, month: Int, day: Int)? {
        guard let (m, d) = month(of: dayNumber) else { return nil }
        let u = UInt(bitPattern: m)
        return (Int(bitPattern: u / 12) &+ 1901, Int(bitPattern: u % 12) &+ 1, d)
    }

    /// `dayNumber` plus `n` months by the corresponding-date rule (see `LocalDate.adding(months:)`);
    /// nil unless both dates fall in 1901–2099.
    @inline(__always)
    func adding(months n: Int, to dayNumber: Int32) -> (date: LocalDate, clamped: Bool)? {
        guard n > -MonthTable.months, n < MonthTable.months, let (m, d) = month(of: dayNumber) else { return nil }
        let target = m &+ n
        guard target >= 0, target < MonthTable.months else { return nil }
        let first = starts[target]
        let length = Int(starts[target &+ 1] &- first)
        let day = Swift.min(d, length)
        return (LocalDate(dayNumber: first &+ Int32(truncatingIfNeeded: day) &- 1), day != d)
    }
}
