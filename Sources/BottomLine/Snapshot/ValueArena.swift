/// Where a streaming run's reader keeps the lists and records of the snapshot being read, reused
/// from one snapshot to the next (`reset`): lists and records read into it are views without an
/// owner (see `ValueList`), so nothing is allocated, counted or freed for them value by value.
///
/// A value read into the arena may be used only until the arena is reset, which the reader does
/// as it begins the next snapshot: the streaming check evaluates each snapshot, and writes its
/// findings, before the next is read, and keeps nothing of it but text and numbers.
final class ValueArena {
    /// Blocks of room, each used from its start; the blocks before `current` are full.
    @exclusivity(unchecked) private var blocks: [(start: UnsafeMutablePointer<Value>, capacity: Int, used: Int)] = []
    @exclusivity(unchecked) private var current = -1
    /// The next free place in the current block, and its end.
    @exclusivity(unchecked) private var next: UnsafeMutablePointer<Value>?
    @exclusivity(unchecked) private var limit: UnsafeMutablePointer<Value>?
    /// Whether a value that holds a reference (text too long to be kept in the value itself)
    /// has been put in the arena since it was last reset: if not, resetting need not go through
    /// the values to let go of anything.
    @exclusivity(unchecked) var holdsReferences = false

    /// The room of each block (a block holds more when one list needs it).
    static let blockCapacity = 4096

    init() {}

    deinit {
        reset()
        for b in blocks { b.start.deallocate() }
    }

    /// Room for `count` values, not initialised: the caller initialises every one before the arena
    /// is reset.
    @inline(__always) func allocate(_ count: Int) -> UnsafeMutablePointer<Value> {
        if let p = next, count <= limit.unsafelyUnwrapped - p {
            next = p + count
            return p
        }
        return allocateInNextBlock(count)
    }

    private func allocateInNextBlock(_ count: Int) -> UnsafeMutablePointer<Value> {
        if current >= 0, let p = next { blocks[current].used = p - blocks[current].start }
        current += 1
        let capacity = Swift.max(ValueArena.blockCapacity, count)
        if current == blocks.count {
            blocks.append((.allocate(capacity: capacity), capacity, 0))
        } else if blocks[current].capacity < count {
            // (Too small for this list: replaced, where it stands, by one that holds it. Taken out
            // of the list of blocks instead, the block after it, no larger, took its place.)
            blocks[current].start.deallocate()
            blocks[current] = (.allocate(capacity: capacity), capacity, 0)
        }
        let b = blocks[current]
        assert(b.capacity >= count, "a block too small for the room asked of it")
        next = b.start + count
        limit = b.start + b.capacity
        return b.start
    }

    /// Lets go of every value in the arena (their room is used again).
    func reset() {
        guard current >= 0 else { return holdsReferences = false }
        if let p = next { blocks[current].used = p - blocks[current].start }
        assert(holdsReferences || !(0...current).contains { i in UnsafeBufferPointer(start: blocks[i].start, count: blocks[i].used).contains(where: \.holdsReference) },
            "a value that holds a reference was put in the arena without saying so (`holdsReferences`): it would not be let go")
        for i in 0...current {
            if holdsReferences { blocks[i].start.deinitialize(count: blocks[i].used) }
            blocks[i].used = 0
        }
        holdsReferences = false
        current = 0
        next = blocks[0].start
        limit = blocks[0].start + blocks[0].capacity
    }
}

/// Where the reader keeps the lists and records it reads: in a streaming run's arena, or (for
/// snapshots handed to callers, which keep them) each by a storage of its own.
struct ValueKeeper {
    /// The arena, not counted (a keeper is copied, and the arena used, for every list and record
    /// read): whoever reads into an arena holds it for the whole reading.
    private let arena: Unmanaged<ValueArena>?

    init(arena: ValueArena?) { self.arena = arena.map { .passUnretained($0) } }

    /// Whether values are kept in an arena.
    var inArena: Bool { arena != nil }

    /// Lets go of the values in the arena, if any (see `ValueArena.reset`).
    func reset() { arena?._withUnsafeGuaranteedRef { $0.reset() } }

    /// `count` values, made where they are kept by `fill` (which initialises every one), and
    /// their owner (nil in the arena); for none, nothing is made.
    @inline(__always)
    func keep(_ count: Int, _ fill: (UnsafeMutablePointer<Value>) -> Void) -> (owner: ValueStorage?, base: UnsafeMutablePointer<Value>?) {
        guard count > 0 else { return (nil, nil) }
        if let arena {
            let p = arena._withUnsafeGuaranteedRef { $0.allocate(count) }
            fill(p)
            return (nil, p)
        }
        let s = ValueStorage.make(count, fill)
        return (s, s.values)
    }

    /// The list of the `count` values at `from`, moved to where they are kept.
    @inline(__always)
    func list(moving from: UnsafeMutablePointer<Value>, count: Int) -> Value {
        let (owner, base) = keep(count) { $0.moveInitialize(from: from, count: count) }
        return .list(ValueList(owner: owner, base: base, count: count))
    }

    /// A list of `count` records of `width` fields each, the fields of record `i` at
    /// `fields + i * width` (kept by `owner`).
    @inline(__always)
    func records(_ count: Int, width: Int, fields: UnsafeMutablePointer<Value>?, owner: ValueStorage?) -> Value {
        let (listOwner, base) = keep(count) { p in
            for i in 0..<count { (p + i).initialize(to: .record(RecordValue(owner: owner, base: fields.map { $0 + i * width }, count: width))) }
        }
        return .list(ValueList(owner: listOwner, base: base, count: count))
    }

    /// Text read into a value: noted when it holds a reference (too long to be kept in the value),
    /// so that the arena lets go of it.
    @inline(__always)
    func text(_ s: String) -> Value {
        let v = Value.text(s)
        if let arena, v.holdsReference { arena._withUnsafeGuaranteedRef { $0.holdsReferences = true } }
        return v
    }
}

/// Room for the items of lists while they are read, kept by a `ReadRun`: a list's items are
/// added at the top and moved, when the list ends, to where they are kept (`ValueKeeper`); a list
/// read inside an item of another uses the room above that list's items.
final class ValueStack {
    @exclusivity(unchecked) private(set) var buffer: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) private var capacity: Int
    /// How many values are in it (all initialised).
    @exclusivity(unchecked) var count = 0

    init() {
        capacity = 256
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    @inline(__always) func push(_ v: Value) {
        if count == capacity { grow() }
        (buffer + count).initialize(to: v)
        count += 1
    }

    private func grow() {
        capacity *= 2
        let larger = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        larger.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        buffer = larger
    }

    /// The values from `mark` up, made into a list kept by `keeper` (the stack is back at `mark`).
    @inline(__always) func list(from mark: Int, _ keeper: ValueKeeper) -> Value {
        let v = keeper.list(moving: buffer + mark, count: count - mark)
        count = mark
        return v
    }

    /// Lets go of every value above `mark` (after a reading that failed).
    func truncate(to mark: Int) {
        guard count > mark else { return }
        (buffer + mark).deinitialize(count: count - mark)
        count = mark
    }
}
