extension PopulationAccumulator {
    /// The groups of one rule across cases, found by name, and their distinct values (for its
    /// `count of distinct` aggregates), each (group, value) pair once.
    ///
    /// A national run adds some 140,000 open cases to 24,000 groups of practitioners and 2,000
    /// of teams: megabytes of groups and values, which no cache holds from one batch of cases to
    /// the next. Adding a batch's cases one after another (`merge(listed:)`) waited, case by case,
    /// for each of some five reads from memory in turn (the table of names, the group, its set of
    /// values); a batch is added here in passes, reads of every case's places first in loops of
    /// reads alone, so that the processor waits for many at once. Names and values are found by
    /// a hash of their bytes (`ByteHash`): the standard library's, made to resist chosen keys,
    /// cost more than the look-up, and could not be worked out ahead of it.
    struct GroupTable: Sendable {
        /// The groups with their names, in the order first seen.
        private(set) var groups: [NamedGroup] = []
        /// Each group's name's hash, by place.
        private var nameHashes: [UInt64] = []
        /// Where each group is found by its name (see `HashSlots`).
        private var slots = HashSlots()
        /// The distinct values of the groups, by aggregate (in the rule's order; empty for those
        /// that are not `count of distinct`).
        private var distinct: [DistinctPairs]

        /// No groups, for a rule with `aggregates` aggregates.
        init(aggregates: Int) {
            distinct = Array(repeating: DistinctPairs(), count: aggregates)
        }

        /// Adds `group`'s cases to the group named `name` (`group` itself when it is new), and
        /// the distinct values `group` holds (a case's, not in a table); the group's place.
        @discardableResult
        mutating func merge(_ name: String, _ group: GroupState) -> Int {
            withUnsafePointer(to: NamedGroup(name: name, group: group)) { add($0, nameHash: ByteHash.hash(name), pairHash: 0) }
        }

        /// Adds the groups of `other` (another accumulator's) and their distinct values.
        mutating func merge(_ other: GroupTable) {
            let places = other.groups.map { merge($0.name, $0.group) }
            for i in other.distinct.indices {
                other.distinct[i].forEach { hash, theirPlace, value in
                    let place = places[theirPlace]
                    // (The pair's hash is of the group's name, the same in both tables.)
                    if distinct[i].insert(value, group: place, hash: hash) { groups[place].group.aggregates.countDistinct(i) }
                }
            }
        }

        /// Adds the cases a batch listed, in order, as `merge(_:_:)` adds each (see the type):
        /// the hashes of every case's group name and value; then, in loops of reads alone, the
        /// slots where they are looked for, and the groups the names' slots point to; then the
        /// cases added, their memory now at hand.
        mutating func merge(listed: [NamedGroup]) {
            let n = listed.count
            guard n > 0 else { return }
            var nameHash = [UInt64](repeating: 0, count: n)
            // The hash of each case's value for the first aggregate when it is a `count of
            // distinct` holding one value (a case's); 0 otherwise.
            var pairHash = [UInt64](repeating: 0, count: n)
            listed.withUnsafeBufferPointer { listed in
                for k in 0..<n {
                    let h = ByteHash.hash(listed[k].name)
                    nameHash[k] = h
                    if let value = listed[k].group.aggregates.firstDistinctValue { pairHash[k] = ByteHash.pair(h, value) }
                }
            }
            var read = slots.read(at: nameHash)
            if !distinct.isEmpty { read &+= distinct[0].read(at: pairHash) }
            // Each case's group, as its name's slot points to it (most likely its own: the name is
            // compared when the case is added), read.
            let candidates = slots.firstPlaces(of: nameHash)
            groups.withUnsafeBufferPointer { groups in
                let stride = MemoryLayout<NamedGroup>.stride
                let base = UnsafeRawPointer(groups.baseAddress!)
                for p in candidates where p >= 0 {
                    let at = base + p * stride
                    read &+= at.load(as: UInt64.self)
                    if stride > 72 { read &+= at.load(fromByteOffset: 64, as: UInt64.self) }
                    if stride > 136 { read &+= at.load(fromByteOffset: 128, as: UInt64.self) }
                }
            }
            // (Kept, so that the reads are not left out as unused.)
            lastRead = read
            listed.withUnsafeBufferPointer { listed in
                for k in 0..<n { add(listed.baseAddress! + k, nameHash: nameHash[k], pairHash: pairHash[k]) }
            }
        }

        /// What the reads of `merge(listed:)` read last (see there).
        private var lastRead: UInt64 = 0

        /// Adds the group `e` points to (a case's, or another table's) to the group of the same
        /// name, whose hash is `nameHash`, with its distinct values (`pairHash`, when not 0: the
        /// pair's hash of its one value for the first aggregate); the group's place. (Read where
        /// it lies: passed by value, the group was copied, and counted, for each use.)
        @discardableResult
        private mutating func add(_ e: UnsafePointer<NamedGroup>, nameHash: UInt64, pairHash: UInt64) -> Int {
            let place = findOrAdd(e, hash: nameHash)
            addValues(of: e, at: place, firstHash: pairHash)
            return place
        }

        /// The place of the group named as `e`'s (whose name's hash is `hash`), `e`'s cases added
        /// to it; or, when it is new, `e`'s group itself added there, without its distinct values.
        private mutating func findOrAdd(_ e: UnsafePointer<NamedGroup>, hash: UInt64) -> Int {
            // (Each name compared where it lies: `groups[place].name` copied the group out.)
            let found = groups.withUnsafeBufferPointer { groups in slots.find(hash, where: { groups[$0].name == e.pointee.name }) }
            if let place = found {
                groups[place].group.merge(e.pointee.group)
                return place
            }
            let place = groups.count
            groups.append(e.pointee)
            groups[place].group.aggregates.clearDistinctValues()
            nameHashes.append(hash)
            if slots.isFull {
                let hashes = nameHashes
                slots.grow { hashes[$0] }
            }
            slots.add(hash, place: place)
            return place
        }

        /// Adds the distinct values the group `e` points to holds (a case's) to those of the group
        /// at `place`; `firstHash`, when not 0, is the pair's hash of its one value for the first
        /// aggregate.
        private mutating func addValues(of e: UnsafePointer<NamedGroup>, at place: Int, firstHash: UInt64) {
            let nameHash = nameHashes[place]
            for i in 0..<e.pointee.group.aggregates.count {
                switch e.pointee.group.aggregates[i].distinct {
                case .none:
                    break
                case .one(let value):
                    let hash = i == 0 && firstHash != 0 ? firstHash : ByteHash.pair(nameHash, value)
                    if distinct[i].insert(value, group: place, hash: hash) { groups[place].group.aggregates.countDistinct(i) }
                case .many(let values):
                    for value in values where distinct[i].insert(value, group: place, hash: ByteHash.pair(nameHash, value)) {
                        groups[place].group.aggregates.countDistinct(i)
                    }
                }
            }
        }
    }
}

/// The distinct values of every group of one rule across cases, for one of its `count of
/// distinct` aggregates: each (group, value) pair once (see `PopulationAccumulator.GroupTable`).
struct DistinctPairs: Sendable {
    /// The pairs in the order added, with their hashes (`ByteHash.pair`).
    private var pairs: [(hash: UInt64, group: Int, value: String)] = []
    private var slots = HashSlots()

    /// Adds the pair of `value` and the group at `group`, whose hash is `hash`: true when it was
    /// not there.
    mutating func insert(_ value: String, group: Int, hash: UInt64) -> Bool {
        let found = slots.find(hash, where: { pairs[$0].group == group && pairs[$0].value == value })
        if found != nil { return false }
        if slots.isFull {
            let all = pairs
            slots.grow { all[$0].hash }
        }
        slots.add(hash, place: pairs.count)
        pairs.append((hash, group, value))
        return true
    }

    /// The sum of the slots where the hashes (0: none) are looked for first (see `HashSlots.read`).
    func read(at hashes: [UInt64]) -> UInt64 { slots.read(at: hashes) }

    /// Each pair, as `body(hash, group, value)`, in the order added.
    func forEach(_ body: (UInt64, Int, String) -> Void) {
        for p in pairs { body(p.hash, p.group, p.value) }
    }
}
