/// Fast allocation of the arrays of fields the reader makes for every record.
///
/// `Array(repeating:count:)` allocates through a generic path of the standard library that looks
/// up the array's type at run time (some 900 instructions, measured with callgrind on Swift
/// 6.3.1), while an array literal is allocated with its type known at compile time (about 70).
/// A snapshot has a dozen or more records, so records of up to 16 fields start from a literal.
enum ValueArrays {
    /// `count` absent values (a record's fields before they are read).
    static func absent(_ count: Int) -> [Value] {
        switch count {
        case 0: return []
        case 1: return [.absent]
        case 2: return [.absent, .absent]
        case 3: return [.absent, .absent, .absent]
        case 4: return [.absent, .absent, .absent, .absent]
        case 5: return [.absent, .absent, .absent, .absent, .absent]
        case 6: return [.absent, .absent, .absent, .absent, .absent, .absent]
        case 7: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 8: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 9: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 10: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 11: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 12: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 13: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 14: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 15: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        case 16: return [.absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent, .absent]
        default: return [Value](repeating: .absent, count: count)
        }
    }
}
