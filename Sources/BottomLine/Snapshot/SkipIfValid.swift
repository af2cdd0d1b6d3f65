/// The quick check of a deferred field: whether the value at the cursor is one the reader
/// certainly accepts, without building it (see `DeferredFields`).
extension ReadRun {
    /// Moves past the value at the cursor and returns true when `readValue(plan)` certainly reads
    /// it without an error; otherwise returns false, the cursor anywhere (callers try on a copy,
    /// and read the value in full, with its errors, from where it started). Builds nothing.
    ///
    /// Sound rather than complete: a value written unusually (a date not in `"YYYY-MM-DD"` form,
    /// a key with escapes, a record of more than 64 fields) is left to `readValue`.
    func skipIfValid(_ plan: ReadPlan, _ c: inout JSONCursor) -> Bool {
        let b = c.byte
        if b == 0x6E { return (try? c.readLiteral("null")) != nil }
        switch plan {
        case .text, .unreadText:
            return b == 0x22 && (try? c.skipString()) != nil
        case .number:
            return (b == 0x2D || (b >= 0x30 && b <= 0x39)) && (try? c.readNumber()) != nil
        case .bool:
            if b == 0x74 { return (try? c.readLiteral("true")) != nil }
            return b == 0x66 && (try? c.readLiteral("false")) != nil
        case .date:
            let at = c.pos
            guard at + 11 < c.end, b == 0x22, c.base[at + 11] == 0x22,
                LocalDate.parseISO(UnsafeBufferPointer(start: c.base + at + 1, count: 10), months: months) != nil
            else { return false }
            c.pos = at + 12
            return true
        case .list(let list):
            guard b == 0x5B else { return false }
            return list._withUnsafeGuaranteedRef { list in
                if case .record(let r) = list.element, r._withUnsafeGuaranteedRef({ skipPlainRecords($0, &c) }) { return true }
                return skipItemsIfValid(list.element, &c)
            }
        case .record(let r):
            guard b == 0x7B else { return false }
            return r._withUnsafeGuaranteedRef { skipFieldsIfValid($0, &c) }
        case .deferred:
            return false
        }
    }

    /// `skipIfValid` for a list (the cursor at its `[`): no item null, each valid.
    private func skipItemsIfValid(_ element: ReadPlan, _ c: inout JSONCursor) -> Bool {
        c.pos += 1
        c.skipWhitespace()
        if c.byte == 0x5D {
            c.pos += 1
            return true
        }
        while true {
            c.skipWhitespace()
            guard c.byte != 0x6E, skipIfValid(element, &c) else { return false }
            switch c.pastSeparator(closing: 0x5D) {
            case true?: continue
            case false?: return true
            case nil: return false
            }
        }
    }

    /// `skipIfValid` for a record (the cursor at its `{`), as `readFields` reads it: each known
    /// field once and valid, unknown fields well formed, every required field there and not null.
    private func skipFieldsIfValid(_ plan: RecordPlan, _ c: inout JSONCursor) -> Bool {
        guard plan.plans.count <= 64 else { return false }
        var seen: UInt64 = 0
        var present: UInt64 = 0
        c.pos += 1
        c.skipWhitespace()
        if c.byte == 0x7D {
            c.pos += 1
            return plan.requiredMask == 0
        }
        var expected = 0
        while true {
            c.skipWhitespace()
            let slot: Int?
            do {
                // (A key with escapes is left to the reader.)
                slot = try plan.keySlot(&c, expected: expected) { c in throw c.syntaxError("a key with escapes") }
            } catch {
                return false
            }
            c.skipWhitespace()
            if let s = slot {
                expected = s + 1
                let bit: UInt64 = 1 << UInt64(s)
                guard seen & bit == 0 else { return false }
                seen |= bit
                if c.byte != 0x6E { present |= bit }
                // A date, yes/no or unread text as the reader reads it in place; the rest (and
                // anything not plainly written) as `skipIfValid` checks it.
                if (try? readQuickly(plan.kinds[s], &c)) ?? nil == nil {
                    guard skipIfValid(plan.plans[s], &c) else { return false }
                }
            } else {
                guard (try? c.skipValue()) != nil else { return false }
            }
            switch c.pastSeparator(closing: 0x7D) {
            case true?: continue
            case false?: return plan.requiredMask & ~present == 0
            case nil: return false
            }
        }
    }
}
