/// The distinct values one case gives a `count of distinct` over a group of cases, before its
/// group's `GroupTable` takes them (nearly always one: a case's child): one value is kept as it
/// is, and a set is made only for a second. A set for every case cost an allocation and a hash
/// of the value.
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
}
