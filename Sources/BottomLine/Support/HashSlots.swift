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
        hashes.map { find($0, where: { _ in true }) ?? -1 }
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
