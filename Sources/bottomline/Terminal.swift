import BottomLine
import Foundation

/// Where output goes, and whether it may be coloured.
struct Terminal {
    /// Colour only on a terminal, and never when `NO_COLOR` is set.
    static var colourOnStandardError: Bool {
        isatty(2) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    static func err(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }

    /// Today's date in the local time zone: the only place the clock is read.
    static func today() -> LocalDate {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
