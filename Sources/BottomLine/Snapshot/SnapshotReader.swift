#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// How to read one type, compiled once from the schema. Plain data: the plans of lists and
/// records it names are held by the record plan that made them (`RecordPlan.parts`), not by the
/// `ReadPlan`, so that taking one from a record plan for every list and record read counts no
/// reference (a plan that held them, taken apart, counted one each time).
enum ReadPlan: Sendable {
    case text, number, bool, date
    /// Text that no rule reads: checked (a string or null, well formed) but not made into a
    /// string; an empty text stands in for it (see `FieldsRead`).
    case unreadText
    case list(Unmanaged<ListPlan>)
    case record(Unmanaged<RecordPlan>)
    /// A list or record of the case that is checked in every snapshot but built only when a rule
    /// will read it (see `DeferredFields`); only in the case's own plan.
    case deferred(Unmanaged<DeferredPlan>)

    /// `reading`: the fields read, when text fields no rule reads are to be skipped. The plans
    /// made for lists and records are added to `parts`, which must outlive this plan.
    init(_ t: SchemaType, reading: FieldsRead?, parts: inout [ReadPlanPart]) {
        switch t {
        case .text: self = .text
        case .number: self = .number
        case .bool: self = .bool
        case .date: self = .date
        case .list(let e):
            let list = ListPlan(element: ReadPlan(e, reading: reading, parts: &parts))
            parts.append(.list(list))
            self = .list(.passUnretained(list))
        case .record(let r):
            let record = RecordPlan(r, reading: reading)
            parts.append(.record(record))
            self = .record(.passUnretained(record))
        }
    }

    var description: String {
        switch self {
        case .text, .unreadText: return "text"
        case .number: return "a number"
        case .bool: return "true or false"
        case .date: return "a date"
        case .list: return "a list"
        case .record: return "an object"
        case .deferred(let d): return d._withUnsafeGuaranteedRef { $0.plan.description }
        }
    }
}

/// The plan of a list's items (see `ReadPlan.list`).
final class ListPlan: Sendable {
    let element: ReadPlan
    init(element: ReadPlan) { self.element = element }
}

/// A plan that a `ReadPlan` names, held by the record plan it was made for.
enum ReadPlanPart: Sendable {
    case list(ListPlan)
    case record(RecordPlan)
    case deferred(DeferredPlan)
}

/// What a `ReadPlan` reads, without its element or record plan: plain data, so the reader's
/// field loop switches on it without copying (and counting a reference to) the plan.
enum ReadKind: UInt8 {
    case text, unreadText, number, bool, date, list, record, deferred

    init(_ plan: ReadPlan) {
        switch plan {
        case .text: self = .text
        case .unreadText: self = .unreadText
        case .number: self = .number
        case .bool: self = .bool
        case .date: self = .date
        case .list: self = .list
        case .record: self = .record
        case .deferred: self = .deferred
        }
    }
}

/// A record schema compiled for reading: field names as bytes, so keys are matched without
/// building strings. A class, so that a plan is shared (not copied field by field) each time a
/// record is read.
final class RecordPlan: Sendable {
    let fieldNames: [String]
    let plans: [ReadPlan]
    /// The list and record plans that `plans` name (held here; see `ReadPlan`).
    private let parts: [ReadPlanPart]
    let required: [Bool]
    /// The plans' kinds, read without copying a plan (the reader's field loop reads the common
    /// kinds in place, and calls `readValue` for the rest).
    let kinds: [ReadKind]
    /// Bit `s`: field `s` is required (fields 64 and later are checked one by one).
    let requiredMask: UInt64
    /// For `skipPlainRecords`, when every field is a date, yes/no, text or a number (at most 64,
    /// each with a key of at most 24 bytes as exporters write it, `"name":`): the keys
    /// (`keyTokens`, none missing). Nil otherwise.
    let plainKeys: [KeyToken]?
    /// With `plainKeys`, each field's key as it is written after the field before it, with the
    /// blanks and the comma between them as exporters write them, `, "name": `; for the first
    /// field, after the record's brace, `{"name": ` (`KeyToken.never` where a token would be too
    /// long). A record written so is read a field at a time by one compare for what lies between.
    let plainLeads: [KeyToken]
    /// Every field name's bytes, one after another (key matching reads them in place), and where
    /// each starts and how long it is.
    private let nameBytes: [UInt8]
    private let nameStarts: [Int]
    private let nameLengths: [Int]

    /// The fields deferred (`ReadPlan.deferred`), in the order of their `index`: only in the
    /// case's own plan, made with `deferring`.
    let deferred: [DeferredPlan]

    /// `reading`: the fields read, when text fields no rule reads are to be skipped. `deferring`:
    /// for the case's own plan, the fields to build only when a rule will read them.
    init(_ schema: RecordSchema, reading: FieldsRead? = nil, deferring: DeferredFields? = nil) {
        fieldNames = schema.fields.map(\.name)
        var parts: [ReadPlanPart] = []
        var deferred: [DeferredPlan] = []
        plans = schema.fields.enumerated().map { i, f in
            if f.type == .text, let reading, !reading.contains(schema, i) { return .unreadText }
            let plan = ReadPlan(f.type, reading: reading, parts: &parts)
            if let guards = deferring?.guards[i] {
                let d = DeferredPlan(plan, slot: i, name: f.name, index: deferred.count, guards: guards)
                deferred.append(d)
                parts.append(.deferred(d))
                return .deferred(.passUnretained(d))
            }
            return plan
        }
        self.parts = parts
        self.deferred = deferred
        required = schema.fields.map { !$0.optional }
        kinds = plans.map(ReadKind.init)
        requiredMask = required.prefix(64).enumerated().reduce(0) { m, f in f.element ? m | 1 << UInt64(f.offset) : m }
        var bytes: [UInt8] = []
        var starts: [Int] = []
        for name in fieldNames {
            starts.append(bytes.count)
            bytes += name.utf8
        }
        nameBytes = bytes
        nameStarts = starts
        nameLengths = fieldNames.map(\.utf8.count)
        keyTokens = fieldNames.map(KeyToken.init)
        let tokens = keyTokens.compactMap { $0 }
        let plainKinds: Set<ReadKind> = [.date, .bool, .text, .unreadText, .number]
        plainKeys = !plans.isEmpty && plans.count <= 64 && tokens.count == plans.count && kinds.allSatisfy(plainKinds.contains)
            ? tokens : nil
        plainLeads = fieldNames.enumerated().map { s, name in
            KeyToken(bytes: Array((s == 0 ? "{\"" : ", \"").utf8) + Array(name.utf8) + Array("\": ".utf8)) ?? .never
        }
    }

    /// The length in bytes of field `slot`'s name.
    @inline(__always) func nameLength(_ slot: Int) -> Int { nameLengths[slot] }

    /// Each field's key as exporters write it, `"name":`, as its first and last words (of eight
    /// bytes, or of four for a key of four to seven bytes), the word between them for a key of
    /// 17 to 24 bytes, and its length: nil for a key of more than 24 bytes.
    private let keyTokens: [KeyToken?]

    struct KeyToken {
        let head: UInt64
        let tail: UInt64
        /// Bytes 8–15, for a key of more than 16 bytes (0 otherwise).
        let middle: UInt64
        let length: Int

        init?(_ name: String) {
            // (Field names are never empty, so a key takes at least four bytes.)
            self.init(bytes: [0x22] + Array(name.utf8) + [0x22, 0x3A])
        }

        /// The token of these bytes (4 to 24 of them); nil for more or fewer.
        init?(bytes: [UInt8]) {
            guard bytes.count >= 4, bytes.count <= 24 else { return nil }
            length = bytes.count
            middle = bytes.count > 16 ? bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self) } : 0
            (head, tail) = bytes.withUnsafeBytes { b in
                b.count >= 8
                    ? (b.loadUnaligned(as: UInt64.self), b.loadUnaligned(fromByteOffset: b.count - 8, as: UInt64.self))
                    : (UInt64(b.loadUnaligned(as: UInt32.self)), UInt64(b.loadUnaligned(fromByteOffset: b.count - 4, as: UInt32.self)))
            }
        }

        /// A token that matches nothing: longer than any input can be, so that `i + length <= end`
        /// is false before its words are compared.
        static let never = KeyToken(head: 0, tail: 0, middle: 0, length: 1 << 48)

        private init(head: UInt64, tail: UInt64, middle: UInt64, length: Int) {
            self.head = head
            self.tail = tail
            self.middle = middle
            self.length = length
        }

        /// Whether the bytes at `p` (at least `length` of them) are this key.
        @inline(__always) func matches(_ p: UnsafeRawPointer) -> Bool {
            if length >= 8 {
                return p.loadUnaligned(as: UInt64.self) == head && p.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) == tail
                    && (length <= 16 || p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == middle)
            }
            return UInt64(p.loadUnaligned(as: UInt32.self)) == head && UInt64(p.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self)) == tail
        }
    }

    /// If the cursor is at field `slot`'s key written as exporters write it, `"name":` with no
    /// escape and no space before the colon, the length of that key and colon: compared as one
    /// or two words, without scanning the key.
    @inline(__always) func keyAndColon(_ c: JSONCursor, slot: Int) -> Int? {
        guard slot < keyTokens.count, let k = keyTokens[slot], c.pos &+ k.length <= c.end,
            k.matches(UnsafeRawPointer(c.base + c.pos))
        else { return nil }
        return k.length
    }

    /// The slot of the field whose key is at the cursor (nil: a key of no field), the cursor moved
    /// past the key and its `:`. Field `expected` is tried first, compared in place: exporters
    /// write fields in a fixed order, `"name": value`. `escaped` reads a key with escapes (the
    /// reader decodes it; a quick check gives up).
    @inline(__always)
    func keySlot(_ c: inout JSONCursor, expected: Int, escaped: (inout JSONCursor) throws -> Int?) throws -> Int? {
        if let n = keyAndColon(c, slot: expected) {
            c.pos &+= n
            return expected
        }
        let found: Int?
        if let s = matches(c, slot: expected) {
            found = s
            c.pos += nameLength(s) + 2
        } else if let key = try c.readKeyRange() {
            found = slot(c.base, key.start, key.count)
        } else {
            found = try escaped(&c)
        }
        try c.expect(0x3A, "`:` after a field name")
        return found
    }

    /// Whether the `count` bytes at `key` are field `slot`'s name.
    @inline(__always) private func isName(_ slot: Int, _ key: UnsafeRawPointer, count: Int) -> Bool {
        guard nameLengths[slot] == count else { return false }
        let start = nameStarts[slot]
        return nameBytes.withUnsafeBytes { sameBytes(key, $0.baseAddress! + start, count: count) }
    }

    /// Whether the key at the cursor (at its opening quote) is field `slot`'s name, written
    /// without escapes: compared in place, without scanning the key first.
    @inline(__always) func matches(_ c: JSONCursor, slot: Int) -> Int? {
        guard slot < nameLengths.count else { return nil }
        let n = nameLengths[slot]
        guard n > 0, c.pos + n + 1 < c.end, c.base[c.pos] == 0x22, c.base[c.pos + n + 1] == 0x22 else { return nil }
        return isName(slot, UnsafeRawPointer(c.base + c.pos + 1), count: n) ? slot : nil
    }

    /// The slot of the field whose name is the `count` bytes at `base + start`, if any.
    @inline(__always) func slot(_ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        fieldNames.indices.first { isName($0, UnsafeRawPointer(base + start), count: count) }
    }
}

/// Stage 0 of evaluation: the project's own schema-directed JSON reader. Bytes go straight to
/// typed values (dates to day numbers); fields not in the schema are skipped without building
/// values. Accepts one JSON object, an array of objects, or objects one after another (NDJSON).
/// Every snapshot attempted is reported once, accepted or rejected, in file order.
public struct SnapshotReader: Sendable {
    let plan: RecordPlan
    let idSlot: Int?
    let idField: String

    public init(schema: RecordSchema, idField: String) {
        self.init(schema: schema, idField: idField, reading: nil)
    }

    /// A reader of snapshots for `program` alone: text fields that none of its rules reads are
    /// checked but not made into strings (an empty text stands in for them; see `FieldsRead`).
    /// For evaluating with this program only: the snapshots it gives are not the whole input.
    /// Lists and records that a rule reads only for cases where another list has items are
    /// checked in every snapshot but built only for those cases (see `DeferredFields`).
    init(readingFor program: CheckedProgram) {
        self.init(schema: program.schema, idField: program.idField, reading: FieldsRead(program),
            deferring: DeferredFields(program))
    }

    private init(schema: RecordSchema, idField: String, reading: FieldsRead?, deferring: DeferredFields? = nil) {
        self.plan = RecordPlan(schema, reading: reading, deferring: deferring)
        self.idSlot = schema.slot(of: idField)
        self.idField = idField
    }

    /// Reads every snapshot in `bytes`, calling `emit` once per snapshot, in file order.
    public func read(_ bytes: [UInt8], file: String, emit: (SnapshotResult) -> Void) {
        bytes.withUnsafeBufferPointer { read($0, file: file, emit: emit) }
    }

    /// Reads every snapshot in `bytes`, calling `emit` once per snapshot, in file order.
    public func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, emit: (SnapshotResult) -> Void) {
        read(bytes, file: file, firstLine: 1, firstIndex: 0, emit: emit)
    }

    /// Reads a part of a file that starts at line `firstLine` and whose first snapshot is the
    /// file's `firstIndex`-th, so locations are the file's own (for input read in batches).
    public func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, firstLine: Int, firstIndex: Int, emit: (SnapshotResult) -> Void) {
        read(bytes, file: file, firstLine: firstLine, firstIndex: firstIndex, arena: nil, emit: emit)
    }

    /// As `read(_:file:firstLine:firstIndex:emit:)`, the lists and records of each snapshot kept in
    /// `arena` when given: each snapshot's values then last only until the next is read (see
    /// `ValueArena`), for a caller that is done with each snapshot when `emit` returns.
    func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, firstLine: Int, firstIndex: Int, arena: ValueArena?,
        emit: (SnapshotResult) -> Void)
    {
        var run = ReadRun(reader: self, cursor: JSONCursor(bytes), file: file, keeper: ValueKeeper(arena: arena))
        run.index = firstIndex
        run.lines.line = firstLine
        run.lines.lineBase = firstLine
        run.readAll(emit)
    }
}

/// The state of reading one input: the cursor, the line count so far, the snapshot count.
struct ReadRun {
    let reader: SnapshotReader
    var cursor: JSONCursor
    let file: String
    var index = 0
    var lines = LineCounter()
    /// Where the deferred fields of the snapshot being read start; nil when none are deferred.
    let pending: DeferredStarts?
    /// The month table, for the dates read (see `LocalDate.parseISO(_:months:)`).
    let months = MonthTable.shared
    /// Room for the fields of a list of records while it is read (`readPlainRecords`).
    let fieldRoom = FieldRoom()
    /// Room for the items of other lists while they are read.
    let stack = ValueStack()
    /// Where the lists and records read are kept.
    let keeper: ValueKeeper
    /// Whether short text is made in place (`SmallText`).
    let smallText = SmallText.layoutHolds

    init(reader: SnapshotReader, cursor: JSONCursor, file: String, keeper: ValueKeeper = ValueKeeper(arena: nil)) {
        self.reader = reader
        self.cursor = cursor
        self.file = file
        self.keeper = keeper
        pending = reader.plan.deferred.isEmpty ? nil : DeferredStarts(count: reader.plan.deferred.count)
    }

    mutating func readAll(_ emit: (SnapshotResult) -> Void) {
        var c = cursor
        if c.end >= 3, c.base[0] == 0xEF, c.base[1] == 0xBB, c.base[2] == 0xBF { c.pos = 3 }
        c.skipWhitespace()
        cursor = c
        if cursor.atEnd { return }
        if cursor.byte == 0x5B { readArray(emit) } else { readSequence(emit) }
    }

    /// `[ {…}, {…} ]`. After malformed JSON the rest of the array cannot be trusted: one
    /// rejection covers it.
    mutating func readArray(_ emit: (SnapshotResult) -> Void) {
        cursor.pos += 1
        cursor.skipWhitespace()
        if cursor.byte == 0x5D {
            cursor.pos += 1
            trailing(emit)
            return
        }
        while true {
            cursor.skipWhitespace()
            // (Taken apart as it is read: a tuple kept whole was copied, through the runtime, and
            // freed for every case.)
            guard case let (result, broken)? = readOne() else {
                return emitRest(emit, "the rest of the array could not be read")
            }
            if let broken {
                // Malformed JSON: the rest of the array cannot be trusted, and the message says so.
                emit(.rejected(Rejection(
                    location: broken.location, caseID: broken.caseID, path: broken.path, line: broken.line,
                    column: broken.column, message: broken.message + "; the rest of the array was not read",
                    help: broken.help ?? "fix the JSON at this point, then run again")))
                return
            }
            emit(result)
            switch cursor.pastSeparator(closing: 0x5D) {
            case true?:
                continue
            case false?:
                trailing(emit)
                return
            case nil:
                let e = cursor.syntaxError("malformed JSON: expected `,` or `]` after a case, found \(cursor.found)")
                emit(.rejected(rejection(e, start: cursor.pos, caseID: nil)))
                return
            }
        }
    }

    /// Text after the closing `]` of an array.
    mutating func trailing(_ emit: (SnapshotResult) -> Void) {
        cursor.skipWhitespace()
        guard !cursor.atEnd else { return }
        let e = cursor.syntaxError("malformed JSON: unexpected \(cursor.found) after the end of the array",
            help: "a file holds one array of cases, or one case per line")
        emit(.rejected(rejection(e, start: cursor.pos, caseID: nil)))
    }

    mutating func emitRest(_ emit: (SnapshotResult) -> Void, _ message: String) {
        let e = cursor.syntaxError(message)
        emit(.rejected(rejection(e, start: cursor.pos, caseID: nil)))
    }

    /// `{…} {…}` or one object per line. After malformed JSON, reading resumes at the next line
    /// that starts with `{`.
    mutating func readSequence(_ emit: (SnapshotResult) -> Void) {
        while true {
            cursor.skipWhitespace()
            if cursor.atEnd { return }
            // (Taken apart as it is read: see `readArray`.)
            guard case let (result, broken)? = readOne() else { return }
            if let broken {
                // Lines up to the next one starting with `{` are skipped: say so when that is more
                // than the broken case's own line.
                let from = cursor.pos
                resynchronise()
                var last = cursor.pos
                while last > from, [0x20, 0x09, 0x0D, 0x0A].contains(cursor.base[last - 1]) { last -= 1 }
                let firstLine = broken.line
                let lastLine = last > from ? lines.line(at: last - 1, in: cursor) : firstLine
                var help = broken.help
                if lastLine > firstLine {
                    let skipped = lastLine == firstLine + 1 ? "line \(lastLine) was" : "lines \(firstLine + 1)–\(lastLine) were"
                    let note = cursor.atEnd ? "\(skipped) skipped too: no later line starts with `{`"
                        : "\(skipped) skipped too; reading went on at line \(lines.line(at: cursor.pos, in: cursor)), the next line that starts with `{`"
                    help = (help.map { $0 + "; " } ?? "") + note
                }
                emit(.rejected(Rejection(
                    location: broken.location, caseID: broken.caseID, path: broken.path, line: broken.line,
                    column: broken.column, message: broken.message, help: help)))
                continue
            }
            emit(result)
        }
    }

    /// Moves to the next line whose first non-blank byte is `{`.
    mutating func resynchronise() {
        var i = cursor.pos
        while i < cursor.end {
            if cursor.base[i] == 0x0A {
                var j = i + 1
                while j < cursor.end, cursor.base[j] == 0x20 || cursor.base[j] == 0x09 || cursor.base[j] == 0x0D { j += 1 }
                if j < cursor.end, cursor.base[j] == 0x7B {
                    cursor.pos = j
                    return
                }
            }
            i += 1
        }
        cursor.pos = cursor.end
    }

    /// Reads one snapshot at the cursor. Returns the result and, if the JSON was malformed, the
    /// syntax problem (already folded into the result). `nil` only at the end of input.
    mutating func readOne() -> (SnapshotResult, Rejection?)? {
        let start = cursor.pos
        if cursor.atEnd { return nil }
        defer { index += 1 }
        if cursor.byte != 0x7B {
            var probe = cursor
            do {
                try probe.skipValue()
                cursor = probe
                let kind = describe(cursor.base[start])
                let e = ReadError(offset: start, message: "expected a case as a JSON object, found \(kind)", syntax: false)
                return (.rejected(rejection(e, start: start, caseID: nil)), nil)
            } catch let e as ReadError {
                let r = rejection(e, start: start, caseID: nil)
                return (.rejected(r), r)
            } catch {
                return nil
            }
        }
        var c = cursor
        // (The last snapshot's values are done with: see `SnapshotReader.read(_:file:firstLine:firstIndex:arena:emit:)`.)
        keeper.reset()
        do {
            pending?.clear()
            let (record, fields) = try readRecordFields(reader.plan, &c)
            if let pending, pending.any { try readDeferred(into: fields, pending, c) }
            cursor = c
            guard let slot = reader.idSlot, case .text(let id) = record.field(slot) else {
                let e = ReadError(offset: start, message: "`case.\(reader.idField)` is missing",
                    help: "every snapshot needs a `\(reader.idField)`", syntax: false)
                return (.rejected(rejection(e, start: start, caseID: nil)), nil)
            }
            let loc = SnapshotLocation(file: file, line: lines.line(at: start, in: cursor), index: index)
            return (.accepted(Snapshot(caseID: id, record: record, location: loc)), nil)
        } catch let e as ReadError {
            stack.truncate(to: 0)
            let id = caseID(at: start)
            if e.syntax {
                let r = rejection(e, start: start, caseID: id)
                return (.rejected(r), r)
            }
            // Well-formed but wrong: skip the whole object and go on.
            var probe = cursor
            probe.pos = start
            do {
                try probe.skipValue()
                cursor = probe
                return (.rejected(rejection(e, start: start, caseID: id)), nil)
            } catch let s as ReadError {
                cursor = probe
                let r = rejection(s, start: start, caseID: id)
                return (.rejected(r), r)
            } catch {
                return nil
            }
        } catch {
            return nil
        }
    }

    func describe(_ c: UInt8) -> String {
        switch c {
        case 0x22: return "a string"
        case 0x5B: return "a list"
        case 0x74, 0x66: return "true or false"
        case 0x6E: return "null"
        default: return "a number"
        }
    }

    /// The case id of the object at `start`, if its id field can be read (used for rejections).
    func caseID(at start: Int) -> String? {
        var c = cursor
        c.pos = start + 1
        let name = Array(reader.idField.utf8)
        while true {
            c.skipWhitespace()
            guard c.byte == 0x22, let key = try? c.readKeyRange() else { return nil }
            guard (try? c.expect(0x3A, ":")) != nil else { return nil }
            c.skipWhitespace()
            if key.count == name.count,
                name.withUnsafeBytes({ key.count == 0 || sameBytes(c.base + key.start, $0.baseAddress!, count: key.count) })
            {
                return c.byte == 0x22 ? try? c.readString() : nil
            }
            guard (try? c.skipValue()) != nil else { return nil }
            c.skipWhitespace()
            guard c.byte == 0x2C else { return nil }
            c.pos += 1
        }
    }

    mutating func rejection(_ e: ReadError, start: Int, caseID: String?) -> Rejection {
        let (message, path) = e.render()
        let startLine = lines.line(at: start, in: cursor)
        let (line, column) = lines.lineColumn(at: e.offset, in: cursor)
        return Rejection(
            location: SnapshotLocation(file: file, line: startLine, index: index), caseID: caseID, path: path,
            line: line, column: column, message: message, help: e.help)
    }

    // MARK: Typed reading

    /// Reads one JSON object as a record of `plan`'s fields, kept where `keeper` keeps values.
    func readRecord(_ plan: RecordPlan, _ c: inout JSONCursor) throws -> RecordValue {
        try readRecordFields(plan, &c).record
    }

    /// `readRecord`, with where the record's fields lie (for the deferred fields of a case, read
    /// after the rest).
    func readRecordFields(_ plan: RecordPlan, _ c: inout JSONCursor) throws -> (record: RecordValue, fields: UnsafeMutablePointer<Value>) {
        let width = plan.plans.count
        // (At least one place, so that an object read against a schema of no fields has one.)
        let (owner, base) = keeper.keep(Swift.max(width, 1)) { $0.initialize(repeating: .absent, count: Swift.max(width, 1)) }
        try readFields(plan, &c, into: base.unsafelyUnwrapped)
        return (RecordValue(owner: owner, base: base, count: width), base.unsafelyUnwrapped)
    }

    /// Reads one JSON object into `fields` by slot (`absent` there until read): a record of its
    /// own, or one of a list of records sharing one block.
    func readFields(_ plan: RecordPlan, _ c: inout JSONCursor, into fields: UnsafeMutablePointer<Value>) throws {
        // Which fields were seen, and which of them hold a value (not null): bit masks (schemas
        // have far fewer than 64 fields per record; beyond 64, duplicates of the later fields are
        // not detected, and whether they are required is checked one by one).
        var seen: UInt64 = 0
        var present: UInt64 = 0
        try c.expect(0x7B, "`{`")
        c.skipWhitespace()
        if c.byte == 0x7D {
            c.pos += 1
        } else {
            try readFields(plan, &c, into: fields, seen: &seen, present: &present)
        }
        if plan.requiredMask & ~present != 0 || plan.required.count > 64 {
            for (i, req) in plan.required.enumerated() where req {
                if case .absent = fields[i] {
                    var e = ReadError(offset: c.pos - 1, message: "`{path}` is missing",
                        help: "every snapshot needs `\(plan.fieldNames[i])` here; the schema (rules/schema.rules) says it is required",
                        syntax: false)
                    e.path.append("." + plan.fieldNames[i])
                    throw e
                }
            }
        }
    }

    /// The fields of a non-empty object (after its `{`, up to and past its `}`), each written to
    /// `out[slot]` (which holds `absent` until then: a slot below 64 is written at most once).
    @inline(__always)
    private func readFields(_ plan: RecordPlan, _ c: inout JSONCursor, into out: UnsafeMutablePointer<Value>,
        seen: inout UInt64, present: inout UInt64) throws
    {
        // The slot the next key is expected to fill: exporters write fields in a fixed order.
        var expected = 0
        while true {
            c.skipWhitespace()
            let keyStart = c.pos
            let slot = try plan.keySlot(&c, expected: expected) { c in plan.fieldNames.firstIndex(of: try c.readString()) }
            c.skipWhitespace()
            if let s = slot {
                expected = s + 1
                let bit: UInt64 = s < 64 ? 1 << UInt64(s) : 0
                if seen & bit != 0 {
                    var e = ReadError(offset: keyStart, message: "`{path}` appears twice in the same object",
                        help: "keep one of them", syntax: false)
                    e.path.append("." + plan.fieldNames[s])
                    throw e
                }
                seen |= bit
                do {
                    let value = try readField(plan, s, &c, soFar: out)
                    if case .absent = value {} else { present |= bit }
                    if bit != 0 { (out + s).initialize(to: value) } else { out[s] = value }
                } catch var e as ReadError {
                    e.path.append("." + plan.fieldNames[s])
                    throw e
                }
            } else {
                try c.skipValue()
            }
            guard let more = c.pastSeparator(closing: 0x7D) else {
                throw c.syntaxError("malformed JSON: expected `,` or `}` after a field, found \(c.found)")
            }
            if !more { return }
        }
    }

    /// The value of field `slot` at the cursor (see `readQuickly`; `readOrDefer` for a deferred field,
    /// given the record's fields so far, `soFar`; `readValue` for the rest).
    @inline(__always)
    private func readField(_ plan: RecordPlan, _ slot: Int, _ c: inout JSONCursor, soFar: UnsafePointer<Value>) throws -> Value {
        let kind = plan.kinds[slot]
        if let v = try readQuickly(kind, &c) { return v }
        if kind == .deferred, case .deferred(let d) = plan.plans[slot], c.byte != 0x6E {
            return try d._withUnsafeGuaranteedRef { try readOrDefer($0, &c, soFar: soFar) }
        }
        return try readValue(plan.plans[slot], &c)
    }

    /// A date, yes/no or unread text at the cursor (most of a snapshot's values), read in place;
    /// nil, the cursor not moved, for any other kind or a value not plainly written, which
    /// `readValue` then reads (and rejects when wrong, with its messages). An unread text's
    /// errors are `skipString`'s, as in `readValue`.
    @inline(__always)
    func readQuickly(_ kind: ReadKind, _ c: inout JSONCursor) throws -> Value? {
        let at = c.pos
        switch kind {
        case .date:
            if at + 11 < c.end, c.base[at] == 0x22, c.base[at + 11] == 0x22,
                let d = LocalDate.parseISO(UnsafeBufferPointer(start: c.base + at + 1, count: 10), months: months)
            {
                c.pos = at + 12
                return .date(d)
            }
        case .bool:
            // `true` and `fals` as little-endian words.
            if at + 5 <= c.end {
                let w = UnsafeRawPointer(c.base + at).loadUnaligned(as: UInt32.self)
                if w == UInt32(littleEndian: 0x6575_7274) {
                    c.pos = at + 4
                    return .bool(true)
                }
                if w == UInt32(littleEndian: 0x736C_6166), c.base[at + 4] == 0x65 {
                    c.pos = at + 5
                    return .bool(false)
                }
            }
        case .unreadText:
            if c.byte == 0x22 {
                try c.skipString()
                return .text("")
            }
        default:
            break
        }
        return nil
    }

    func typeError(_ expected: ReadPlan, _ c: JSONCursor) -> ReadError {
        let found = c.atEnd ? "nothing" : describe(c.byte)
        var help: String?
        switch expected {
        case .text, .unreadText: help = found == "a number" ? "put the value in double quotes" : nil
        case .date: help = "write dates as text in the form YYYY-MM-DD, for example `\"2019-03-28\"`"
        case .bool: help = "write `true` or `false`, without quotes"
        case .number: help = found == "a string" ? "write the number without quotes" : nil
        case .list: help = "write a list in square brackets, `[ … ]`; for one item, a list of one"
        case .record: help = "write an object in braces, `{ … }`"
        case .deferred(let d): return d._withUnsafeGuaranteedRef { typeError($0.plan, c) }
        }
        if c.byte == 0x7B { return ReadError(offset: c.pos, message: "`{path}` should be \(expected.description), found an object", help: help, syntax: false) }
        return ReadError(offset: c.pos, message: "`{path}` should be \(expected.description), found \(found)", help: help, syntax: false)
    }

    func readValue(_ plan: ReadPlan, _ c: inout JSONCursor) throws -> Value {
        let b = c.byte
        if b == 0x6E {
            try c.readLiteral("null")
            return .absent
        }
        switch plan {
        case .text:
            guard b == 0x22 else { throw typeError(plan, c) }
            // (Short text, as ids are, made in place: it holds no reference for the keeper to note.)
            if smallText, let text = c.readSmallASCII() { return .text(text) }
            return keeper.text(try c.readString())
        case .unreadText:
            guard b == 0x22 else { throw typeError(plan, c) }
            try c.skipString()
            return .text("")
        case .number:
            guard b == 0x2D || (b >= 0x30 && b <= 0x39) else { throw typeError(plan, c) }
            return .number(try c.readNumber())
        case .bool:
            if b == 0x74 {
                try c.readLiteral("true")
                return .bool(true)
            }
            if b == 0x66 {
                try c.readLiteral("false")
                return .bool(false)
            }
            throw typeError(plan, c)
        case .date:
            guard b == 0x22 else { throw typeError(plan, c) }
            let start = c.pos
            // (A plain `"YYYY-MM-DD"` never gets here: `readQuickly` reads it first.)
            let s = try c.readString()
            if let d = LocalDate(iso: s) { return .date(d) }
            let looksISO = s.utf8.count == 10 && s.utf8.enumerated().allSatisfy { i, ch in (i == 4 || i == 7) ? ch == 0x2D : (ch >= 0x30 && ch <= 0x39) }
            if looksISO {
                throw ReadError(offset: start, message: "`{path}` is not a real date: `\(s)`",
                    help: "check the day and month; write dates as YYYY-MM-DD", syntax: false)
            }
            throw ReadError(offset: start, message: "`{path}` is not a date: `\(s)`",
                help: "write dates as YYYY-MM-DD, for example `2019-03-28`", syntax: false)
        case .list(let list):
            let element = list._withUnsafeGuaranteedRef { $0.element }
            guard b == 0x5B else { throw typeError(plan, c) }
            // A list of records written as exporters write them is read in one pass; any other,
            // or one written otherwise, by the general reader (with its errors).
            if case .record(let r) = element, let v = r._withUnsafeGuaranteedRef({ readPlainRecords($0, &c) }) { return v }
            let kind = ReadKind(element)
            if kind == .date, let v = readPlainDates(&c) { return v }
            c.pos += 1
            c.skipWhitespace()
            if c.byte == 0x5D {
                c.pos += 1
                return .list([])
            }
            if case .record(let r) = element { return try r._withUnsafeGuaranteedRef { try readRecords($0, &c) } }
            // (Items read into the stack, then kept where the keeper keeps them, at their number.)
            let mark = stack.count
            _ = try readItems(&c) { c in
                if let v = try readQuickly(kind, &c) { return stack.push(v) }
                stack.push(try readValue(element, &c))
            }
            return stack.list(from: mark, keeper)
        case .record(let r):
            guard b == 0x7B else { throw typeError(plan, c) }
            return .record(try r._withUnsafeGuaranteedRef { try readRecord($0, &c) })
        case .deferred(let d):
            return try d._withUnsafeGuaranteedRef { try readOrDefer($0, &c, soFar: nil) }
        }
    }
}

extension ReadRun {
    /// A list of dates written as exporters write them (the cursor at its `[`), `["2019-03-04",
    /// "2019-04-01"]`: each date as `"YYYY-MM-DD"`, each after the one before and `, `; read in one
    /// pass, as `readValue` reads it. Otherwise nil, the cursor not moved, for `readValue` to read
    /// it (with its errors).
    @inline(__always)
    func readPlainDates(_ c: inout JSONCursor) -> Value? {
        let p = c.base
        let end = c.end
        var i = c.pos + 1
        // (An empty list, and anything but a date first, is the general reader's.)
        guard i < end, p[i] != 0x5D else { return nil }
        // (Onto the stack, then moved at their number to where the list is kept: read straight
        // there, into room for as many as a `memchr` for the `]` told, took more instructions.)
        let mark = stack.count
        // (Places moved on without overflow checks: each is below `end`.)
        while true {
            guard i &+ 12 < end, p[i] == 0x22, p[i &+ 11] == 0x22,
                let d = LocalDate.parseISO(UnsafeBufferPointer(start: p + (i &+ 1), count: 10), months: months)
            else {
                stack.truncate(to: mark)
                return nil
            }
            stack.push(.date(d))
            i &+= 12
            if p[i] == 0x5D {
                c.pos = i &+ 1
                return stack.list(from: mark, keeper)
            }
            guard i &+ 1 < end, p[i] == 0x2C, p[i &+ 1] == 0x20 else {
                stack.truncate(to: mark)
                return nil
            }
            i &+= 2
        }
    }

    /// Reads the items of a non-empty list (after its `[`, up to and past its `]`), each by
    /// `readItem`, rejecting `null` items; an item's error gets its position in the path.
    /// Returns how many items were read.
    @inline(__always)
    func readItems(_ c: inout JSONCursor, _ readItem: (inout JSONCursor) throws -> Void) throws -> Int {
        var count = 0
        while true {
            c.skipWhitespace()
            do {
                if c.byte == 0x6E {
                    let at = c.pos
                    try c.readLiteral("null")
                    throw ReadError(offset: at, message: "`{path}` is null", help: "remove it, or give a value", syntax: false)
                }
                try readItem(&c)
            } catch var e as ReadError {
                e.path.append("[\(count)]")
                throw e
            }
            count += 1
            guard let more = c.pastSeparator(closing: 0x5D) else {
                throw c.syntaxError("malformed JSON: expected `,` or `]` in a list, found \(c.found)")
            }
            if !more { return count }
        }
    }

    /// The rest of a non-empty list of records (after its `[`), each record read where it is
    /// kept (a list of these records' fields is read by `readPlainRecords`, into one block).
    func readRecords(_ plan: RecordPlan, _ c: inout JSONCursor) throws -> Value {
        let mark = stack.count
        _ = try readItems(&c) { c in
            guard c.byte == 0x7B else { throw typeError(.record(.passUnretained(plan)), c) }
            guard stack.count - mark < Int(UInt32.max) else {
                throw ReadError(offset: c.pos, message: "`{path}` is too long a list to read",
                    help: "split the case's list; a list may hold up to \(Int(UInt32.max)) records", syntax: false)
            }
            stack.push(.record(try readRecord(plan, &c)))
        }
        return stack.list(from: mark, keeper)
    }
}

/// Counts lines as reading moves forward, so a position's line costs only the bytes since the
/// last one asked for.
struct LineCounter {
    var offset = 0
    var line = 1
    /// The line number of the buffer's first byte.
    var lineBase = 1

    mutating func line(at target: Int, in c: JSONCursor) -> Int {
        if target < offset {
            offset = 0
            line = lineBase
        }
        let end = min(target, c.end)
        if end > offset { line += countNewlines(c.base + offset, end - offset) }
        offset = max(offset, end)
        return line
    }

    mutating func lineColumn(at target: Int, in c: JSONCursor) -> (Int, Int) {
        let l = line(at: target, in: c)
        var start = min(target, c.end)
        while start > 0, c.base[start - 1] != 0x0A { start -= 1 }
        return (l, target - start + 1)
    }
}

/// The number of `\n` bytes in `count` bytes from `p`, found with `memchr`.
func countNewlines(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
    var n = 0
    var at = UnsafeRawPointer(p)
    let end = at + count
    while at < end, let hit = memchr(at, 0x0A, end - at) {
        n += 1
        at = UnsafeRawPointer(hit) + 1
    }
    return n
}
