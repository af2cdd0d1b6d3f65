/// `count` copies of `value`, allocated fast for small counts.
///
/// `Array(repeating:count:)` allocates through a generic path of the standard library that looks
/// up the array's type at run time (some 900 instructions, measured with callgrind on Swift
/// 6.3.1), while an array literal is allocated with its type known at compile time (about 70)
/// once this function is inlined into a caller of a known element type. The reader makes a dozen
/// or more record arrays per snapshot and the evaluator one array of locals per rule, so counts
/// up to 16 start from a literal.
@inline(__always)
func filledArray<T>(_ constant: T, count: Int) -> [T] {
    // Hidden from the optimiser: a literal of a constant becomes a shared static array, which
    // the first write then copies whole.
    let value = opaqueCopy(constant)
    switch count {
    case 0: return []
    case 1: return [value]
    case 2: return [value, value]
    case 3: return [value, value, value]
    case 4: return [value, value, value, value]
    case 5: return [value, value, value, value, value]
    case 6: return [value, value, value, value, value, value]
    case 7: return [value, value, value, value, value, value, value]
    case 8: return [value, value, value, value, value, value, value, value]
    case 9: return [value, value, value, value, value, value, value, value, value]
    case 10: return [value, value, value, value, value, value, value, value, value, value]
    case 11: return [value, value, value, value, value, value, value, value, value, value, value]
    case 12: return [value, value, value, value, value, value, value, value, value, value, value, value]
    case 13: return [value, value, value, value, value, value, value, value, value, value, value, value, value]
    case 14: return [value, value, value, value, value, value, value, value, value, value, value, value, value, value]
    case 15: return [value, value, value, value, value, value, value, value, value, value, value, value, value, value, value]
    case 16: return [value, value, value, value, value, value, value, value, value, value, value, value, value, value, value, value]
    default: return Array(repeating: value, count: count)
    }
}

/// `value`, by a call the optimiser cannot see through (see `filledArray`).
@inline(never)
func opaqueCopy<T>(_ value: T) -> T { value }
