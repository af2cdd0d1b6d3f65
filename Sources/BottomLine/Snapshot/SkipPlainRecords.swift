/// The quick check of a deferred list of records written as exporters write them, in one pass
/// over the bytes: a list of visits, for most cases, is checked and left unbuilt (see
/// `DeferredFields`), so checking it is most of what reading it costs.
extension ReadRun {
    /// `skipIfValid` for a list of records (the cursor at its `[`) whose fields are all dates,
    /// yes/no, text or numbers (`RecordPlan.plainKeys`), written plainly: keys without escapes,
    /// in the schema's order (fields may be left out), blanks only spaces, dates as
    /// `"YYYY-MM-DD"`, text without escapes. Moves past the list and returns true when every
    /// record is so written and valid (as `readFields` would read it: each field of the right type
    /// or null, every required field there); otherwise returns false, the cursor not moved, for
    /// the general check to look at the list from its start.
    func skipPlainRecords(_ plan: RecordPlan, _ c: inout JSONCursor) -> Bool {
        guard let keys = plan.plainKeys else { return false }
        return keys.withUnsafeBufferPointer { keys in
            plan.kinds.withUnsafeBufferPointer { kinds in
                skipPlainRecords(c, keys: keys, kinds: kinds, required: plan.requiredMask)
            }
        }.map { end in
            c.pos = end
            return true
        } ?? false
    }

    /// `skipPlainRecords` over the plan's keys and kinds where they lie: where the list ends, or
    /// nil.
    @inline(__always)
    private func skipPlainRecords(_ c: JSONCursor, keys: UnsafeBufferPointer<RecordPlan.KeyToken>,
        kinds: UnsafeBufferPointer<ReadKind>, required: UInt64) -> Int?
    {
        let p = c.base
        let end = c.end
        let width = keys.count
        var i = c.pos + 1
        while i < end, p[i] == 0x20 { i += 1 }
        if i < end, p[i] == 0x5D { return i + 1 }
        while true {
            // One record.
            guard i < end, p[i] == 0x7B else { return nil }
            i += 1
            while i < end, p[i] == 0x20 { i += 1 }
            var present: UInt64 = 0
            if i < end, p[i] == 0x7D {
                i += 1
            } else {
                var next = 0
                while true {
                    // The key: the next field in the schema's order, or a later one.
                    var slot = next
                    while slot < width, !(i + keys[slot].length <= end && keys[slot].matches(UnsafeRawPointer(p + i))) {
                        slot += 1
                    }
                    guard slot < width else { return nil }
                    i += keys[slot].length
                    while i < end, p[i] == 0x20 { i += 1 }
                    guard i + 5 <= end else { return nil }
                    let b = p[i]
                    if b == 0x6E {
                        // `null`, as a little-endian word.
                        guard UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6C6C_756E) else { return nil }
                        i += 4
                    } else {
                        switch kinds[slot] {
                        case .date:
                            guard b == 0x22, i + 11 < end, p[i + 11] == 0x22,
                                LocalDate.parseISO(UnsafeBufferPointer(start: p + i + 1, count: 10), months: months) != nil
                            else { return nil }
                            i += 12
                        case .bool:
                            // `true` and `fals` as little-endian words.
                            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self)
                            if w == UInt32(littleEndian: 0x6575_7274) {
                                i += 4
                            } else if w == UInt32(littleEndian: 0x736C_6166), p[i + 4] == 0x65 {
                                i += 5
                            } else {
                                return nil
                            }
                        case .text, .unreadText:
                            var at = c
                            at.pos = i
                            guard b == 0x22, let close = (try? at.plainStringEnd()) ?? nil else { return nil }
                            i = close + 1
                        case .number:
                            var at = c
                            at.pos = i
                            guard b == 0x2D || (b >= 0x30 && b <= 0x39), (try? at.readNumber()) != nil else { return nil }
                            i = at.pos
                        default:
                            return nil
                        }
                        present |= 1 << UInt64(slot)
                    }
                    next = slot + 1
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
        while i < end, p[i] == 0x20 { i += 1 }
        guard i < end else { return nil }
        if p[i] == 0x2C {
            i += 1
            while i < end, p[i] == 0x20 { i += 1 }
            return true
        }
        guard p[i] == closing else { return nil }
        i += 1
        return false
    }
}
