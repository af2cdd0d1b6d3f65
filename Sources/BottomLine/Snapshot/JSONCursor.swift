/// A problem found while reading JSON: where (byte offset), what, and what to do. `path` is
/// built on the way out of the recursion (innermost component first), so the success path pays
/// nothing for it.
struct ReadError: Error {
    var offset: Int
    var message: String
    var help: String?
    /// `true` for malformed JSON (the reader must resynchronise); `false` for a well-formed value
    /// of the wrong shape (only this snapshot is rejected).
    var syntax: Bool
    var path: [String] = []

    /// The message with `{path}` replaced by the field path.
    func render() -> (message: String, path: String?) {
        guard !path.isEmpty else { return (message.replacingOccurrences(of: "{path}", with: "case"), nil) }
        let p = "case" + path.reversed().joined()
        return (message.replacingOccurrences(of: "{path}", with: p), p)
    }
}

/// A position in a byte buffer with the JSON scanning primitives the snapshot reader needs.
/// Every read is bounds-checked against `end`; no input can make it read outside the buffer.
/// (Positions, all below `end`, are moved on by a few bytes without overflow checks, `&+`.)
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, at pos: Int = 0) {
        // An empty buffer may have a nil base address; point at a static byte instead.
        self.base = buffer.baseAddress ?? JSONCursor.emptyBase
        self.end = buffer.count
        self.pos = pos
    }

    nonisolated(unsafe) static let emptyBase: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.pointee = 0
        return UnsafePointer(p)
    }()

    @inline(__always) var atEnd: Bool { pos >= end }
    @inline(__always) var byte: UInt8 { pos < end ? base[pos] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        while pos < end {
            let c = base[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos &+= 1 } else { return }
        }
    }

    /// After an item of an array or a field of an object: past its `,` (true: another follows)
    /// or past the `closing` bracket (false); `nil` when neither comes next (the caller says
    /// what it expected there).
    @inline(__always) mutating func pastSeparator(closing: UInt8) -> Bool? {
        skipWhitespace()
        switch byte {
        case 0x2C:
            pos &+= 1
            return true
        case closing:
            pos &+= 1
            return false
        default:
            return nil
        }
    }

    func syntaxError(_ message: String, help: String? = nil, at offset: Int? = nil) -> ReadError {
        ReadError(offset: offset ?? pos, message: message, help: help, syntax: true)
    }

    /// How the byte at the cursor is described in messages.
    var found: String {
        if atEnd { return "the end of the input" }
        let c = base[pos]
        if c == 0x22 { return "a string" }
        if c == 0x7B { return "`{`" }
        if c == 0x5B { return "`[`" }
        if c >= 0x20 && c < 0x7F { return "`\(Character(UnicodeScalar(c)))`" }
        return "byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    @inline(__always) mutating func expect(_ c: UInt8, _ what: String) throws {
        skipWhitespace()
        guard pos < end, base[pos] == c else { throw syntaxError("malformed JSON: expected \(what), found \(found)") }
        pos += 1
    }

    /// Reads the string at the cursor (at its `"`), escapes decoded.
    mutating func readString() throws -> String {
        guard let close = try plainStringEnd() else { return try readEscapedString(from: pos + 1) }
        let start = pos + 1
        pos = close + 1
        return String(decoding: UnsafeBufferPointer(start: base + start, count: close - start), as: UTF8.self)
    }

    /// For the string at the cursor: where its closing quote is, or nil if it has an escape
    /// first (then `readEscapedString` reads it). The cursor does not move.
    @inline(__always) func plainStringEnd() throws -> Int? {
        guard pos < end, base[pos] == 0x22 else { throw syntaxError("malformed JSON: expected a string, found \(found)") }
        var i = pos &+ 1
        // Eight bytes at a time to the first special byte (`jsonSpecialBytes`), then byte by byte.
        while i &+ 8 <= end {
            let special = jsonSpecialBytes(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)))
            if special != 0 {
                i &+= special.trailingZeroBitCount >> 3
                break
            }
            i &+= 8
        }
        while i < end {
            let c = base[i]
            if c == 0x22 { return i }
            if c == 0x5C { return nil }
            if c < 0x20 { throw syntaxError("malformed JSON: a control character inside a string", help: "write a line break as `\\n`", at: i) }
            i &+= 1
        }
        throw syntaxError("malformed JSON: a string is not closed", help: "end the string with `\"`", at: pos)
    }

    /// Moves past the string at the cursor, with the checks and errors of `readString`, without
    /// making it.
    mutating func skipString() throws {
        guard let close = try plainStringEnd() else { return _ = try readEscapedString(from: pos + 1) }
        pos = close &+ 1
    }

    /// Compares the key at the cursor (a string without escapes) with `name`, without building it.
    /// Returns the key's byte range; `nil` range when the key has escapes (then decode it).
    mutating func readKeyRange() throws -> (start: Int, count: Int)? {
        guard pos < end, base[pos] == 0x22 else { throw syntaxError("malformed JSON: expected a field name in double quotes, found \(found)") }
        let start = pos &+ 1
        var i = start
        while i < end {
            let c = base[i]
            if c == 0x22 {
                pos = i &+ 1
                return (start, i &- start)
            }
            if c == 0x5C { return nil }
            if c < 0x20 { throw syntaxError("malformed JSON: a control character inside a string", at: i) }
            i &+= 1
        }
        throw syntaxError("malformed JSON: a string is not closed", help: "end the string with `\"`", at: pos)
    }

    private mutating func readEscapedString(from start: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var i = start
        while i < end {
            let c = base[i]
            if c == 0x22 {
                pos = i + 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw syntaxError("malformed JSON: a control character inside a string", help: "write a line break as `\\n`", at: i) }
            if c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < end else { break }
            let e = base[i + 1]
            i += 2
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard var scalar = hex4(at: i) else { throw syntaxError("malformed JSON: `\\u` must be followed by four hex digits", at: i - 2) }
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= end, base[i] == 0x5C, base[i + 1] == 0x75,
                    let low = hex4(at: i + 2), low >= 0xDC00 && low < 0xE000
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let u = UnicodeScalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw syntaxError("malformed JSON: `\\\(Character(UnicodeScalar(e)))` is not an escape", help: "write a backslash as `\\\\`", at: i - 2)
            }
        }
        throw syntaxError("malformed JSON: a string is not closed", help: "end the string with `\"`", at: start - 1)
    }

    private func hex4(at i: Int) -> UInt32? {
        guard i + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = base[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v * 16 + d
        }
        return v
    }

    /// Reads a JSON number.
    mutating func readNumber() throws -> Double {
        let start = pos
        var i = pos
        if i < end, base[i] == 0x2D { i += 1 }
        guard i < end, base[i] >= 0x30 && base[i] <= 0x39 else { throw syntaxError("malformed JSON: expected a value, found \(found)") }
        var intValue: Int64 = 0
        var simple = true
        if base[i] == 0x30 {
            i += 1
        } else {
            var digits = 0
            while i < end, base[i] >= 0x30 && base[i] <= 0x39 {
                intValue = intValue &* 10 &+ Int64(base[i] - 0x30)
                digits += 1
                i += 1
            }
            if digits > 15 { simple = false }
        }
        if i < end, base[i] == 0x2E {
            simple = false
            i += 1
            guard i < end, base[i] >= 0x30 && base[i] <= 0x39 else { throw syntaxError("malformed JSON: a number needs digits after `.`", at: i) }
            while i < end, base[i] >= 0x30 && base[i] <= 0x39 { i += 1 }
        }
        if i < end, base[i] == 0x65 || base[i] == 0x45 {
            simple = false
            i += 1
            if i < end, base[i] == 0x2B || base[i] == 0x2D { i += 1 }
            guard i < end, base[i] >= 0x30 && base[i] <= 0x39 else { throw syntaxError("malformed JSON: a number needs digits in its exponent", at: i) }
            while i < end, base[i] >= 0x30 && base[i] <= 0x39 { i += 1 }
        }
        pos = i
        if simple { return Double(base[start] == 0x2D ? -intValue : intValue) }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
        guard let d = Double(text) else { throw syntaxError("malformed JSON: `\(text)` is not a number", at: start) }
        return d
    }

    /// Reads the literal `word` (true/false/null) at the cursor.
    mutating func readLiteral(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        guard pos + n <= end else { throw syntaxError("malformed JSON: expected a value, found \(found)") }
        guard sameBytes(base + pos, w, count: n) else { throw syntaxError("malformed JSON: expected a value, found \(found)") }
        pos += n
    }

    /// Skips any JSON value, checking only that it is well formed. Iterative, so deep nesting
    /// cannot overflow the stack.
    mutating func skipValue() throws {
        var depth = 0
        // Stack of container kinds: true = object.
        var stack: [Bool] = []
        while true {
            skipWhitespace()
            if let top = stack.last, top {
                // Inside an object, before a key.
                _ = try readKeyRange() ?? { _ = try readString(); return (0, 0) }()
                try expect(0x3A, "`:` after a field name")
                skipWhitespace()
            }
            guard pos < end else { throw syntaxError("malformed JSON: expected a value, found the end of the input") }
            switch base[pos] {
            case 0x7B:
                pos += 1
                skipWhitespace()
                if byte == 0x7D {
                    pos += 1
                } else {
                    stack.append(true)
                    depth += 1
                    if depth > 512 { throw syntaxError("JSON is nested more than 512 levels deep") }
                    continue
                }
            case 0x5B:
                pos += 1
                skipWhitespace()
                if byte == 0x5D {
                    pos += 1
                } else {
                    stack.append(false)
                    depth += 1
                    if depth > 512 { throw syntaxError("JSON is nested more than 512 levels deep") }
                    continue
                }
            case 0x22: try skipString()
            case 0x74: try readLiteral("true")
            case 0x66: try readLiteral("false")
            case 0x6E: try readLiteral("null")
            default: _ = try readNumber()
            }
            // After a value: close containers or move to the next element.
            while true {
                guard let top = stack.last else { return }
                guard let more = pastSeparator(closing: top ? 0x7D : 0x5D) else {
                    throw syntaxError("malformed JSON: expected `,` or `\(top ? "}" : "]")`, found \(found)")
                }
                if more { break }
                stack.removeLast()
                depth -= 1
            }
        }
    }
}
