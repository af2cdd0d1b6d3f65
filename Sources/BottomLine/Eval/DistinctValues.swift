/// The distinct values seen by a `count of distinct` over a group of cases.
///
/// Each batch of a streaming run accumulates its own groups, and nearly every group of a batch
/// holds one case (a council's practitioners far outnumber the cases of a batch): one value is
/// kept as it is, and a set is made only for a second. A set for every group of every batch
/// cost an allocation and a hash of the value for each case, and merging hashed it again.
enum DistinctValues: Sendable, Equatable {
    case none
    case one(String)
    case many(Set<String>)

    /// How many distinct values.
    var count: Int {
        switch self {
        case .none: return 0
        case .one: return 1
        case .many(let set): return set.count
        }
    }

    /// Adds `value` (no change if it is there already).
    mutating func insert(_ value: String) {
        switch self {
        case .none:
            self = .one(value)
        case .one(let first):
            if first != value { self = .many([first, value]) }
        case .many(var set):
            // Taken out and put back, so that the set is not copied (it is held once).
            self = .none
            set.insert(value)
            self = .many(set)
        }
    }

    /// Adds every value of `other`.
    mutating func formUnion(_ other: DistinctValues) {
        switch other {
        case .none:
            return
        case .one(let value):
            insert(value)
        case .many(let theirs):
            switch self {
            case .none: self = other
            case .one(let mine):
                var set = theirs
                set.insert(mine)
                self = .many(set)
            case .many(var set):
                self = .none
                set.formUnion(theirs)
                self = .many(set)
            }
        }
    }
}
