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
                    if distinct[i].insert(value, group: place, hash: hash) { groups[place].group.aggregates[i].counted += 1 }
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
            let aggregates = e.pointee.group.aggregates.count
            if pairHash != 0, aggregates == 1, let value = e.pointee.group.aggregates.firstDistinctValue {
                if distinct[0].insert(value, group: place, hash: pairHash) { groups[place].group.aggregates[0].counted += 1 }
            } else if aggregates > 0 {
                addValues(of: e.pointee.group, at: place, firstHash: pairHash)
            }
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

        /// Adds the distinct values `group` holds (a case's) to those of the group at `place`;
        /// `firstHash`, when not 0, is the pair's hash of its one value for the first aggregate.
        private mutating func addValues(of group: GroupState, at place: Int, firstHash: UInt64) {
            let nameHash = nameHashes[place]
            for i in 0..<group.aggregates.count {
                switch group.aggregates[i].distinct {
                case .none:
                    break
                case .one(let value):
                    let hash = i == 0 && firstHash != 0 ? firstHash : ByteHash.pair(nameHash, value)
                    if distinct[i].insert(value, group: place, hash: hash) { groups[place].group.aggregates[i].counted += 1 }
                case .many(let values):
                    for value in values where distinct[i].insert(value, group: place, hash: ByteHash.pair(nameHash, value)) {
                        groups[place].group.aggregates[i].counted += 1
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

/// An open-addressed index of things kept in an array, by a 64-bit hash of each: a power of two
/// of slots (none at first), at most 70% full, each 0 (empty) or the top half of a thing's hash
/// and its place in the array plus one. Eight bytes a slot, for the index to stay small; the
/// things are compared (by the caller) only where the top halves of the hashes agree.
struct HashSlots: Sendable {
    private var slots: [UInt64] = []
    private var count = 0

    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// The place of the thing whose hash is `hash` and for which `matches(place)` holds; nil
    /// when there is none.
    @inline(__always)
    func find(_ hash: UInt64, where matches: (Int) -> Bool) -> Int? {
        guard !slots.isEmpty else { return nil }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            let tag = hash & Self.tagMask
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let s = slots[i]
                if s == 0 { return nil }
                if s & Self.tagMask == tag, matches(Int(truncatingIfNeeded: s & ~Self.tagMask) - 1) {
                    return Int(truncatingIfNeeded: s & ~Self.tagMask) - 1
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Whether another thing needs more room (`grow`) before it is added.
    var isFull: Bool { (count + 1) * 10 > slots.count * 7 }

    /// Adds the thing at `place` (the next: as many as there are things), whose hash is `hash`
    /// (not there already), when there is room (not `isFull`).
    @inline(__always)
    mutating func add(_ hash: UInt64, place: Int) {
        // (A place must fit in the slot's low half.)
        precondition(place < 0xFFFF_FFFF, "more than 4 billion groups or distinct values in one rule across cases")
        put(hash, place)
        count += 1
    }

    private mutating func put(_ hash: UInt64, _ place: Int) {
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = (hash & Self.tagMask) | UInt64(place + 1)
        }
    }

    /// Twice the room (16 slots at first), every thing (as `hashOf` its place gives its hash)
    /// put where its hash points there.
    mutating func grow(_ hashOf: (Int) -> UInt64) {
        slots = Array(repeating: 0, count: Swift.max(16, slots.count * 2))
        for place in 0..<count { put(hashOf(place), place) }
    }

    /// The sum of the slots where the things of `hashes` (0: none) are looked for first: read in
    /// a loop of reads alone, for the processor to wait for many at once, before they are needed.
    func read(at hashes: [UInt64]) -> UInt64 {
        guard !slots.isEmpty else { return 0 }
        var sum: UInt64 = 0
        slots.withUnsafeBufferPointer { slots in
            let mask = UInt64(slots.count - 1)
            for h in hashes where h != 0 { sum &+= slots[Int(truncatingIfNeeded: h & mask)] }
        }
        return sum
    }

    /// For each hash, the place of the first thing whose hash's top half agrees (-1: none): the
    /// place `find` most likely gives, without comparing the things.
    func firstPlaces(of hashes: [UInt64]) -> [Int] {
        guard !slots.isEmpty else { return Array(repeating: -1, count: hashes.count) }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            return hashes.map { hash in
                let tag = hash & Self.tagMask
                var i = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let s = slots[i]
                    if s == 0 { return -1 }
                    if s & Self.tagMask == tag { return Int(truncatingIfNeeded: s & ~Self.tagMask) - 1 }
                    i = (i + 1) & mask
                }
            }
        }
    }
}

/// A 64-bit hash of a string's UTF-8 bytes, fixed rather than seeded: input made to collide
/// would make a `HashSlots` look-up slow, never wrong (the things are compared whole).
enum ByteHash {
    /// The hash of `s`: its bytes eight at a time and its length, finished with MurmurHash3's
    /// 64-bit mix; never 0.
    static func hash(_ s: String) -> UInt64 {
        if let h = s.utf8.withContiguousStorageIfAvailable({ hash($0) }) { return h }
        // (A string whose bytes are not in one piece: none is, natively; the same hash.)
        return Array(s.utf8).withUnsafeBufferPointer { hash($0) }
    }

    /// The hash of the pair of a group (the hash of its name) and a value.
    static func pair(_ nameHash: UInt64, _ value: String) -> UInt64 {
        finish(hash(value) ^ (nameHash &* 0x9E37_79B9_7F4A_7C15))
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var last = UInt64(bytes.count) << 56
        var shift: UInt64 = 0
        while i < bytes.count {
            last ^= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return finish((h ^ last) &* 0xBF58_476D_1CE4_E5B9)
    }

    /// MurmurHash3's 64-bit mix; never 0.
    @inline(__always) static func finish(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h == 0 ? 1 : h
    }
}
