/// The quick check of a deferred list of records written as exporters write them, in one pass
/// over the bytes: a list of visits, for most cases, is checked and left unbuilt (see
/// `DeferredFields`), so checking it is most of what reading it costs. The same pass builds a
/// list of records so written when it is read (`readPlainRecords`).
extension ReadRun {
    /// `skipIfValid` for a list of records (the cursor at its `[`) whose fields are all dates,
    /// yes/no, text or numbers (`RecordPlan.plainKeys`), written plainly: keys without escapes,
    /// in the schema's order (fields may be left out), blanks only spaces, dates as
    /// `"YYYY-MM-DD"`, text without escapes. Moves past the list and returns true when every
    /// record is so written and valid (as `readFields` would read it: each field of the right type
    /// or null, every required field there); otherwise returns false, the cursor not moved, for
    /// the general check to look at the list from its start.
    func skipPlainRecords(_ plan: RecordPlan, _ c: inout JSONCursor) -> Bool {
        var skip = SkippedFields()
        guard let end = plainRecords(plan, c, into: &skip) else { return false }
        c.pos = end
        return true
    }

    /// The list of records at the cursor (at its `[`) as `readValue` reads it, when it is written
    /// as `skipPlainRecords` accepts (most lists of records are): in one pass, the fields of every
    /// record in one buffer (see `RecordValue`). Otherwise nil, the cursor not moved, for
    /// `readValue` to read it (with its errors).
    func readPlainRecords(_ plan: RecordPlan, _ c: inout JSONCursor) -> Value? {
        // (Told before anything is made: most lists of other records, plans with lists in them, are not plain.)
        guard plan.plainKeys != nil else { return nil }
        var built = BuiltFields(width: plan.kinds.count, room: fieldRoom, keeper: keeper)
        guard let end = plainRecords(plan, c, into: &built) else {
            built.discard()
            return nil
        }
        c.pos = end
        return built.list()
    }

    /// The pass of `skipPlainRecords` and `readPlainRecords`, telling `sink` each record and field
    /// read: where the list ends, or nil.
    @inline(__always)
    private func plainRecords<Sink: PlainFieldSink>(_ plan: RecordPlan, _ c: JSONCursor, into sink: inout Sink) -> Int? {
        guard let keys = plan.plainKeys else { return nil }
        return keys.withUnsafeBufferPointer { keys in
            plan.plainLeads.withUnsafeBufferPointer { leads in
                plan.kinds.withUnsafeBufferPointer { kinds in
                    plainRecords(c, keys: keys, leads: leads, kinds: kinds, required: plan.requiredMask, into: &sink)
                }
            }
        }
    }

    /// `plainRecords` over the plan's keys, leads and kinds where they lie. (Places in the input
    /// are added without overflow checks, `&+`: each is below `end`, plus at most a key's length,
    /// and a record's slots are fewer than 64, `RecordPlan.plainKeys`; the checks cost some 155
    /// instructions a snapshot.)
    @inline(__always)
    private func plainRecords<Sink: PlainFieldSink>(_ c: JSONCursor, keys: UnsafeBufferPointer<RecordPlan.KeyToken>,
        leads: UnsafeBufferPointer<RecordPlan.KeyToken>, kinds: UnsafeBufferPointer<ReadKind>, required: UInt64,
        into sink: inout Sink) -> Int?
    {
        let p = c.base
        let end = c.end
        let width = keys.count
        var i = c.pos &+ 1
        while i < end, p[i] == 0x20 { i &+= 1 }
        if i < end, p[i] == 0x5D { return i &+ 1 }
        while true {
            // One record.
            guard i < end, p[i] == 0x7B, sink.record() else { return nil }
            var present: UInt64 = 0
            /// The field whose value is at `i` when what led to it was taken whole (its lead,
            /// `RecordPlan.plainLeads`); -1 when its key is still to be read.
            var known = -1
            if i &+ leads[0].length <= end, leads[0].matches(UnsafeRawPointer(p + i)) {
                i &+= leads[0].length
                known = 0
            } else {
                i &+= 1
                while i < end, p[i] == 0x20 { i &+= 1 }
            }
            if known < 0, i < end, p[i] == 0x7D {
                i &+= 1
            } else {
                var next = 0
                while true {
                    var slot = known
                    if slot < 0 {
                        // The key: the next field in the schema's order, or a later one.
                        slot = next
                        while slot < width, !(i &+ keys[slot].length <= end && keys[slot].matches(UnsafeRawPointer(p + i))) {
                            slot &+= 1
                        }
                        guard slot < width else { return nil }
                        i &+= keys[slot].length
                        while i < end, p[i] == 0x20 { i &+= 1 }
                    }
                    // (A value after its lead starts at once: more blanks there than exporters
                    // write, and the plain pass gives up, for the general reader to read the list.)
                    known = -1
                    guard i &+ 5 <= end else { return nil }
                    let b = p[i]
                    if b == 0x6E {
                        // `null`, as a little-endian word.
                        guard UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6C6C_756E) else { return nil }
                        i &+= 4
                    } else {
                        switch kinds[slot] {
                        case .date:
                            guard b == 0x22, i &+ 11 < end, p[i &+ 11] == 0x22,
                                let d = LocalDate.parseISO(UnsafeBufferPointer(start: p + (i &+ 1), count: 10), months: months)
                            else { return nil }
                            sink.set(slot, .date(d))
                            i &+= 12
                        case .bool:
                            // `true` and `fals` as little-endian words.
                            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self)
                            if w == UInt32(littleEndian: 0x6575_7274) {
                                sink.set(slot, .bool(true))
                                i &+= 4
                            } else if w == UInt32(littleEndian: 0x736C_6166), p[i &+ 4] == 0x65 {
                                sink.set(slot, .bool(false))
                                i &+= 5
                            } else {
                                return nil
                            }
                        case .text, .unreadText:
                            var at = c
                            at.pos = i
                            guard b == 0x22, let close = (try? at.plainStringEnd()) ?? nil else { return nil }
                            // (Text no rule reads stands empty, as `readQuickly` gives it.)
                            if kinds[slot] == .text {
                                sink.text(slot, UnsafeBufferPointer(start: p + i + 1, count: close - i - 1))
                            } else {
                                sink.set(slot, .text(""))
                            }
                            i = close &+ 1
                        case .number:
                            var at = c
                            at.pos = i
                            guard b == 0x2D || (b >= 0x30 && b <= 0x39), let n = try? at.readNumber() else { return nil }
                            sink.set(slot, .number(n))
                            i = at.pos
                        default:
                            return nil
                        }
                        present |= 1 &<< UInt64(slot)
                    }
                    next = slot &+ 1
                    // The next field's key with the comma and blanks before it, as exporters write them.
                    if next < width, i &+ leads[next].length <= end, leads[next].matches(UnsafeRawPointer(p + i)) {
                        i &+= leads[next].length
                        known = next
                        continue
                    }
                    guard let more = pastSeparator(p, &i, end, closing: 0x7D) else { return nil }
                    if !more { break }
                }
            }
            guard required & ~present == 0 else { return nil }
            // After the record: another, or the end of the list.
            guard let more = pastSeparator(p, &i, end, closing: 0x5D) else { return nil }
            if !more { return i }
        }
    }

    /// After a field or an item, with only spaces as blanks (`JSONCursor.pastSeparator`, for
    /// the one-pass check's index): past its `,` and the spaces after it (true: another
    /// follows), or past the `closing` bracket (false); nil when neither comes next.
    @inline(__always)
    private func pastSeparator(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, closing: UInt8) -> Bool? {
        while i < end, p[i] == 0x20 { i &+= 1 }
        guard i < end else { return nil }
        if p[i] == 0x2C {
            i &+= 1
            while i < end, p[i] == 0x20 { i &+= 1 }
            return true
        }
        guard p[i] == closing else { return nil }
        i &+= 1
        return false
    }
}

/// What the one pass over a plainly written list of records does with what it reads.
protocol PlainFieldSink {
    /// A record starts; false when it cannot be taken (the general reader then reads the list).
    mutating func record() -> Bool
    /// The value of field `slot` of the record, when not null.
    mutating func set(_ slot: Int, _ value: @autoclosure () -> Value)
    /// The text of field `slot` (its bytes, without the quotes: no escapes), read by a rule.
    mutating func text(_ slot: Int, _ bytes: UnsafeBufferPointer<UInt8>)
}

/// A check that builds nothing (`skipPlainRecords`).
struct SkippedFields: PlainFieldSink {
    @inline(__always) func record() -> Bool { true }
    @inline(__always) func set(_ slot: Int, _ value: @autoclosure () -> Value) {}
    @inline(__always) func text(_ slot: Int, _ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// The records' fields, as `ReadRun.readRecords` builds them (`readPlainRecords`): written where
/// they lie in the run's `FieldRoom` (an array's subscript checked it was unique and destroyed the
/// value it replaced, for every field), then moved into the one array the records share.
struct BuiltFields: PlainFieldSink {
    let width: Int
    private let room: FieldRoom
    /// Where the list and its records' fields are kept.
    private let keeper: ValueKeeper
    /// How many fields are in the room (all initialised), and where the record being read starts.
    private var used = 0
    private var base = 0

    init(width: Int, room: FieldRoom, keeper: ValueKeeper) {
        self.width = width
        self.room = room
        self.keeper = keeper
    }

    mutating func record() -> Bool {
        // (As `readRecords`: a record's place must fit in 32 bits; it gives the error.)
        guard used + width <= Int(UInt32.max) else { return false }
        room.reserve(used + width, keeping: used)
        base = used
        (room.buffer + used).initialize(repeating: .absent, count: width)
        used += width
        return true
    }

    /// (Over `absent`, which holds nothing to release: initialised in place.)
    @inline(__always) mutating func set(_ slot: Int, _ value: @autoclosure () -> Value) {
        (room.buffer + base + slot).initialize(to: value())
    }

    mutating func text(_ slot: Int, _ bytes: UnsafeBufferPointer<UInt8>) {
        (room.buffer + base + slot).initialize(to: keeper.text(String(decoding: bytes, as: UTF8.self)))
    }

    /// The list of the records read, their fields moved out of the room into one block.
    mutating func list() -> Value {
        let count = width == 0 ? 0 : used / width
        let (owner, fields) = keeper.keep(used) { $0.moveInitialize(from: room.buffer, count: used) }
        used = 0
        return keeper.records(count, width: width, fields: fields, owner: owner)
    }

    /// Empties the room of what a pass that gave up left in it.
    mutating func discard() {
        room.buffer.deinitialize(count: used)
        used = 0
    }
}
