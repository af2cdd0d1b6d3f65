import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates large inputs as NDJSON in bounded memory and on several cores, writing NDJSON
/// output in input order.
///
/// The input is cut into batches of about `batchBytes` at line ends (so the cut never depends on
/// the number of threads); worker threads evaluate batches while the calling thread writes their
/// output in input order (see `pipeline`); rules across cases are accumulated per batch and
/// merged in order. So the output is byte-identical whatever the number of threads, and memory
/// holds only a few batches at a time.
///
/// Output lines: each shown finding, and each rejected snapshot as `{"rejected": {…}}`, in input
/// order; then the findings of rules across cases; last, one line of counts.
public struct StreamingCheck: Sendable {
    public let rules: RuleSet
    public let asOf: LocalDate
    public let show: FindingFilter
    public let threads: Int
    public let batchBytes: Int
    /// The checked rules and the reader of snapshots for them, made once (nil when the rules have
    /// errors): one value, so that neither is ever there without the other. The first worker's.
    var compiled: Compiled? { workers.first }
    /// One `Compiled` for each worker thread that evaluates batches (none when the rules have errors; the
    /// first from `rules.program`, the others checked again from the same rule files, and the
    /// same program). Evaluation counts references to the program's parts as it makes findings
    /// (the workings' labels, paths and texts); threads counting references to the same objects
    /// at once wait for each other's caches, so each thread has objects of its own.
    let workers: [Compiled]

    /// A checked program, the reader of snapshots for it, and each rule's title, kind and source,
    /// and the workings steps that read the same in many of its findings at the run's as-of date,
    /// as JSON, rendered once (see `ReportJSON.ruleFields`).
    struct Compiled: Sendable {
        let program: CheckedProgram
        let reader: SnapshotReader
        let ruleFields: [ReportJSON.RuleFields]

        init(_ program: CheckedProgram, asOf: LocalDate) {
            self.program = program
            reader = SnapshotReader(readingFor: program)
            ruleFields = program.rules.map { ReportJSON().ruleFields($0, asOf: asOf) }
        }
    }

    /// `batchBytes`: about 256 KiB of input per batch; with every finding written, output runs to
    /// fifteen times the input, so the batches in flight stay well inside the memory target. With
    /// more than one thread the rules are checked again for each further thread (see `workers`:
    /// a few milliseconds each for the shipped rules), so make one `StreamingCheck` per run.
    public init(rules: RuleSet, asOf: LocalDate, show: FindingFilter = .all, threads: Int = 1, batchBytes: Int = 256 << 10) {
        self.init(rules: rules, asOf: asOf, show: show, threads: threads, batchBytes: batchBytes,
            cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// As `init(rules:asOf:show:threads:batchBytes:)`, on a machine with `cores` cores: no more
    /// workers than cores (and at most 32), however many threads are asked for. More would only
    /// take turns, each thread with memory of its own: with every finding written, 16 threads on
    /// 2 cores held 400 MB at the peak.
    init(rules: RuleSet, asOf: LocalDate, show: FindingFilter, threads: Int, batchBytes: Int, cores: Int) {
        self.rules = rules
        self.asOf = asOf
        self.show = show
        self.threads = max(1, threads)
        self.batchBytes = max(1 << 10, batchBytes)
        var workers = rules.program.map { [Compiled($0, asOf: asOf)] } ?? []
        if !workers.isEmpty, self.threads > 1 {
            let texts = rules.sources.files.map { (path: $0.path, text: $0.text) }
            for _ in 1..<min(self.threads, max(1, cores), StreamingCheck.batchesInFlightLimit) {
                guard let program = RuleSet.load(sources: texts).program else { break }
                workers.append(Compiled(program, asOf: asOf))
            }
        }
        self.workers = workers
    }

    /// The most batches in flight at once (see `batchesInFlight(workers:)`), and so the most threads.
    static let batchesInFlightLimit = 32

    /// The batches submitted to `workers` workers and not yet written, at most: four per worker,
    /// enough that a worker rarely waits for the next batch to be cut or for a slow batch before
    /// it to be written; at most 32, so that the output held (up to about 4 MB per batch with
    /// every finding written) stays inside the memory target however many cores there are.
    static func batchesInFlight(workers: Int) -> Int { min(workers * 4, batchesInFlightLimit) }

    /// What a run read and found, for the closing counts.
    public struct Summary: Sendable {
        public var casesRead = 0
        public var casesRejected = 0
        /// Findings per rule (by rule-set index) and outcome (by `Outcome.index`, the lanes of
        /// a `FindingSink`'s tallies; the eighth is not used): a batch's are added in one step.
        var counts: [SIMD8<Int>]
        public var findingsWritten = 0
    }

    /// A batch of whole lines of one file, with where it starts.
    struct Batch: @unchecked Sendable {
        let file: String
        let bytes: BatchBytes
        let firstLine: Int
        /// How many snapshots of the file come before this batch (its non-blank lines).
        let firstIndex: Int
        /// How many snapshots the batch holds (its non-blank lines).
        let snapshots: Int
    }

    /// The bytes of a batch: its own copy (streamed input), or a window on input the caller
    /// holds in memory for the whole run (a mapped file), so that nothing is copied.
    enum BatchBytes {
        case owned([UInt8])
        case window(UnsafeBufferPointer<UInt8>)

        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            switch self {
            case .owned(let a): return a.withUnsafeBufferPointer(body)
            case .window(let w): return body(w)
            }
        }
    }

    /// Where the next batch starts in its file: the line, and how many snapshots came before.
    struct FilePosition {
        var line = 1
        var index = 0

        /// The batch of these bytes at this position; the position moves past them.
        mutating func batch(file: String, _ bytes: BatchBytes) -> Batch {
            let (lines, nonBlank) = bytes.withBytes { StreamingCheck.countLines($0) }
            defer {
                line += lines
                index += nonBlank
            }
            // The file's name as a string of the batch's own: every snapshot's location counts a
            // reference to it, and batches evaluated at once on other threads would otherwise
            // count references to the same string.
            return Batch(file: String(decoding: Array(file.utf8), as: UTF8.self), bytes: bytes, firstLine: line, firstIndex: index,
                snapshots: nonBlank)
        }
    }

    /// Where the next batch ends in `bytes` (an index one past its last byte), by the rule of
    /// `run`: about `batchBytes`, at the line end nearest below the limit or the first after it;
    /// `nil` when no line end is there yet (more input may bring one).
    func batchEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count > batchBytes, let base = bytes.baseAddress else { return nil }
        var i = batchBytes - 1
        while i >= 0 {
            if base[i] == 0x0A { return i + 1 }
            i -= 1
        }
        guard let hit = memchr(base + batchBytes, 0x0A, bytes.count - batchBytes) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
    }

    /// The number of lines, and of non-blank lines, in `buf`.
    static func countLines(_ buf: UnsafeBufferPointer<UInt8>) -> (lines: Int, nonBlank: Int) {
        guard let base = buf.baseAddress else { return (0, 0) }
        var lines = 0
        var nonBlank = 0
        var lineStart = 0
        // Jump from line end to line end; a line is blank if it holds only spaces and tabs.
        while lineStart < buf.count, let hit = memchr(base + lineStart, 0x0A, buf.count - lineStart) {
            let lineEnd = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            lines += 1
            var i = lineStart
            while i < lineEnd, base[i] == 0x20 || base[i] == 0x0D || base[i] == 0x09 { i += 1 }
            if i < lineEnd { nonBlank += 1 }
            lineStart = lineEnd + 1
        }
        return (lines, nonBlank)
    }

    /// What evaluating one batch gives.
    struct BatchResult {
        /// The batch's output, handed over as written (copying it into an array cost 1% of a run).
        var output: ByteBuffer?
        var casesRead = 0
        var rejected = 0
        var counts: [SIMD8<Int>]
        var written = 0
        var population: PopulationAccumulator
    }

    /// Reads one file's bytes with `read` (each call returns the next chunk; empty at the end),
    /// evaluates them, and hands output bytes to `write` (lent for the call only: copy them to keep
    /// them). Call `finish` after the last file.
    /// `splitLines`: the input is one snapshot per line (NDJSON) and may be cut into batches at
    /// line ends; otherwise (a JSON array or a pretty-printed object) it is read whole.
    public func run(file: String, splitLines: Bool = true, read: () -> [UInt8], write: (UnsafeBufferPointer<UInt8>) -> Void, state: inout RunState) {
        guard let compiled else { return rejectUnusable(file: file, write: write, state: &state) }
        var carry: [UInt8] = []
        var position = FilePosition()
        var atEnd = false
        /// The next batch, cut from `carry` (read further as needed): about `batchBytes`, ending
        /// at the line end nearest below the limit (or the first after it, for a longer line); at
        /// the end of the input, whatever is left. The cuts depend only on the input, never on the
        /// number of threads.
        func next() -> Batch? {
            while true {
                if !carry.isEmpty {
                    var end = splitLines ? carry.withUnsafeBufferPointer { batchEnd($0) } : nil
                    if end == nil, atEnd { end = carry.count }
                    if let end {
                        let batch = Array(carry[..<end])
                        carry.removeFirst(end)
                        return position.batch(file: file, .owned(batch))
                    }
                }
                if atEnd { return nil }
                let chunk = read()
                if chunk.isEmpty { atEnd = true } else { carry += chunk }
            }
        }
        pipeline(compiled, next: next, write: write, state: &state)
    }

    /// As `run(file:splitLines:read:write:state:)`, for input already in memory for the whole
    /// call (a mapped file): batches are windows on `bytes`, cut at the same places, and nothing
    /// is copied. `consumed` is told, as each batch's output is written, how many bytes from the
    /// start are no longer needed (so a mapped file's pages can be let go and memory stays bounded).
    public func run(file: String, bytes: UnsafeBufferPointer<UInt8>, splitLines: Bool = true, write: (UnsafeBufferPointer<UInt8>) -> Void,
        consumed: (Int) -> Void = { _ in }, state: inout RunState)
    {
        guard let compiled else { return rejectUnusable(file: file, write: write, state: &state) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var from = 0
        var position = FilePosition()
        /// Where each batch ends in `bytes`, by batch number.
        var ends: [Int] = []
        func next() -> Batch? {
            guard from < bytes.count else { return nil }
            let rest = UnsafeBufferPointer(start: base + from, count: bytes.count - from)
            let end = (splitLines ? batchEnd(rest) : nil) ?? rest.count
            let batch = position.batch(file: file, .window(UnsafeBufferPointer(start: base + from, count: end)))
            from += end
            ends.append(from)
            return batch
        }
        func written(_ n: Int) { consumed(ends[n]) }
        pipeline(compiled, next: next, written: written, write: write, state: &state)
    }

    /// Evaluates the batches `next` gives, until it gives nil, and writes their output in input
    /// order. With one thread, each batch in turn on this thread. Otherwise each program of
    /// `workers` evaluates batches on a thread of its own, taking the next not yet taken each time
    /// it is free, while this thread cuts the next batches and writes the output of those done
    /// (and adds their counts and cases across cases), in order: so no worker waits while output
    /// is written. At most `batchesInFlight(workers:)` batches are submitted and not yet written,
    /// so memory stays bounded. `written(n)`: the output of batch `n` (numbered from 0) has been
    /// written.
    func pipeline(_ compiled: Compiled, next: () -> Batch?, written: (Int) -> Void = { _ in }, write: (UnsafeBufferPointer<UInt8>) -> Void,
        state: inout RunState)
    {
        if workers.count <= 1 {
            var n = 0
            while let batch = next() {
                add(evaluate(batch, compiled), write: write, state: &state)
                written(n)
                n += 1
            }
            return
        }
        let inFlight = StreamingCheck.batchesInFlight(workers: workers.count)
        let pipe = BatchPipeline<Batch, BatchResult>()
        let finished = DispatchGroup()
        let check = self
        for k in workers.indices {
            finished.enter()
            let thread = Thread {
                while let (n, batch) = pipe.take() { pipe.put(check.evaluate(batch, check.workers[k]), for: n) }
                finished.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        var submitted = 0
        var done = 0
        var exhausted = false
        while true {
            while !exhausted, submitted - done < inFlight {
                if let batch = next() {
                    pipe.submit(batch)
                    submitted += 1
                } else {
                    exhausted = true
                }
            }
            guard done < submitted else { break }
            add(pipe.result(done), write: write, state: &state)
            written(done)
            done += 1
        }
        pipe.close()
        finished.wait()
    }

    /// Writes a batch's output, and adds its counts and its cases across cases to the run's.
    func add(_ r: BatchResult, write: (UnsafeBufferPointer<UInt8>) -> Void, state: inout RunState) {
        r.output?.withBytes(write)
        state.summary.casesRead += r.casesRead
        state.summary.casesRejected += r.rejected
        state.summary.findingsWritten += r.written
        for i in r.counts.indices { state.summary.counts[i] &+= r.counts[i] }
        state.population?.merge(r.population)
    }

    /// With a rule set that has errors nothing can be evaluated: says so in the input's place, as
    /// a rejection (as `RuleSet.evaluate` does), rather than writing nothing.
    func rejectUnusable(file: String, write: (UnsafeBufferPointer<UInt8>) -> Void, state: inout RunState) {
        var w = JSONWriter()
        ReportJSON().writeRejectedLine(.unusableRules(file: file), &w)
        w.withBytes(write)
        state.summary.casesRejected += 1
    }

    /// Counts one rule's findings from a sink by outcome (the tallied ones and the made ones)
    /// and writes those shown, one NDJSON line each. (`sink` is not changed: taken `inout`, it
    /// is read where it lies, where passing it by value counted a reference to its findings.)
    func output(_ sink: inout FindingSink, rule r: Int, counts: inout [SIMD8<Int>], written: inout Int, json: ReportJSON,
        ruleFields: [ReportJSON.RuleFields], _ w: inout JSONWriter)
    {
        counts[r] &+= sink.tallies
        for k in sink.findings.indices {
            // (The outcome alone is read to decide: passing the whole finding copied it.)
            let outcome = sink.findings[k].outcome
            counts[r].increment(lane: outcome.index)
            if show.keeps(outcome) {
                json.write(&sink.findings[k], &w, ruleFields: ruleFields[r])
                w.newline()
                written += 1
            }
        }
    }

    /// The state carried across the files of one run.
    public struct RunState: Sendable {
        var summary: Summary
        /// Rules across cases, as far as read (nil when the rule set has errors).
        var population: PopulationAccumulator?

        public var casesRead: Int { summary.casesRead }
        /// Findings evaluated (shown or not), and findings written.
        public var findingsEvaluated: Int { summary.counts.reduce(0) { $0 + $1.wrappedSum() } }
        public var findingsWritten: Int { summary.findingsWritten }
        public var casesRejected: Int { summary.casesRejected }

        /// Whether any finding had one of these outcomes (for `--fail-on`).
        public func failed(on outcomes: Set<Outcome>) -> Bool {
            Outcome.allCases.enumerated().contains { j, o in outcomes.contains(o) && summary.counts.contains { $0[j] > 0 } }
        }
    }

    /// A fresh state for a run with these rules (with a rule set that has errors too: each input
    /// is then one rejection saying so).
    public func start() -> RunState {
        let n = rules.program?.rules.count ?? 0
        return RunState(
            summary: Summary(counts: Array(repeating: SIMD8<Int>(), count: n)),
            population: rules.program.map { PopulationAccumulator(program: $0, asOf: asOf) })
    }

    /// Writes the findings of rules across cases, then the counts line.
    public func finish(_ state: inout RunState, write: (UnsafeBufferPointer<UInt8>) -> Void) {
        var w = JSONWriter()
        let json = ReportJSON()
        var summary = state.summary
        state.population?.finish(into: FindingSink(explaining: show, tallyOnly: true)) { r, sink in
            var sink = sink
            output(&sink, rule: r, counts: &summary.counts, written: &summary.findingsWritten, json: json,
                ruleFields: compiled?.ruleFields ?? [], &w)
        }
        state.summary = summary
        w.beginObject()
        w.field("as_of", asOf.description)
        w.field("cases_read", state.summary.casesRead)
        w.field("cases_rejected", state.summary.casesRejected)
        var totals: [Outcome: Int] = [:]
        var byRule: [(rule: String, outcomes: [Outcome: Int])] = []
        for (i, rule) in (rules.program?.rules ?? []).enumerated() {
            var outcomes: [Outcome: Int] = [:]
            for (j, o) in Outcome.allCases.enumerated() {
                outcomes[o] = state.summary.counts[i][j]
                totals[o, default: 0] += state.summary.counts[i][j]
            }
            byRule.append((rule.id, outcomes))
        }
        json.writeCounts(totals: totals, byRule: byRule, &w)
        w.endObject()
        w.newline()
        w.withBytes(write)
    }

    /// Evaluates one batch: reads its snapshots, evaluates every rule, renders shown findings.
    func evaluate(_ batch: Batch, _ compiled: Compiled) -> BatchResult {
        let program = compiled.program
        var result = BatchResult(
            counts: Array(repeating: SIMD8<Int>(), count: program.rules.count),
            // (At most 1,024: a file read whole, a JSON array, is one batch, whose lines need not be
            // snapshots; more cases than that grow as they come.)
            population: PopulationAccumulator(program: program, asOf: asOf, listingCases: min(batch.snapshots, 1024)))
        // When the actionable findings are written, room for as much output as input at once (they
        // take about that), rather than growing to it by doubling from a kilobyte. (Every finding
        // written takes many times more, and grows as it goes: room made for it at once held more
        // memory at the peak. It starts at 256 KiB, which the C allocator maps pages for, so that
        // growing moves the pages rather than copying the bytes, as a block begun smaller was.)
        // The findings shown are written as they are found (see `FindingWriter`), the rest counted.
        let capacity = switch show {
        case .actionable: batch.bytes.withBytes(\.count)
        case .all: 256 << 10
        case .counts: 1024
        }
        let writer = FindingWriter(capacity: capacity, ruleFields: compiled.ruleFields)
        var findings = FindingSink(explaining: show, tallyOnly: true)
        findings.direct = Unmanaged.passUnretained(writer)
        // One evaluator for every rule and case of the batch (its buffers are reused); none when
        // there are no rules.
        var ev = ExpressionEvaluator.reusable(for: program, asOf: asOf)
        // The rules without counting references to them for every rule of every case (the
        // program holds them for the whole run).
        let rules = program.rules.map { Unmanaged.passUnretained($0) }
        // Which rules judge a case at all: not rules across cases (judged over the run), and, when
        // findings are worked out only to be shown, not a rule for each item of a list of the case
        // that the case does not have (most cases have no protection plan and no placement):
        // told here, before anything is begun for the rule.
        let forEachLists: [Unmanaged<CompiledExpression>?] = program.rules.map { $0.unretained.forEachList }
        let acrossCases = program.rules.map(\.isPopulation)
        let skipsEmptyLists = show != .all
        // Each snapshot's lists and records, kept in one arena from one snapshot to the next: each is
        // evaluated, and its findings written, before the next is read, and only its text and numbers
        // are kept (the counts, and the groups of rules across cases).
        let arena = ValueArena()
        batch.bytes.withBytes { buffer in
            compiled.reader.read(buffer, file: batch.file, firstLine: batch.firstLine, firstIndex: batch.firstIndex, arena: arena) { r in
                result.casesRead += 1
                switch r {
                case .accepted(let snapshot):
                    findings.location = snapshot.location
                    for i in rules.indices {
                        if acrossCases[i] { continue }
                        if skipsEmptyLists, let list = forEachLists[i],
                            list._withUnsafeGuaranteedRef({ ExpressionEvaluator.certainlyNoItems($0, inCase: snapshot.record) })
                        {
                            continue
                        }
                        findings.reset()
                        findings.ruleIndex = i
                        rules[i]._withUnsafeGuaranteedRef { rule in
                            BottomLine.evaluate(rule, snapshot: snapshot, evaluator: &ev!, into: &findings)
                        }
                        result.counts[i] &+= findings.tallies
                    }
                    if ev != nil { result.population.add(snapshot, evaluator: &ev!) }
                case .rejected(let x):
                    result.rejected += 1
                    writer.json.writeRejectedLine(x, &writer.w)
                }
            }
        }
        // (Held to here: the sink's reference to it is not counted.)
        withExtendedLifetime(writer) {
            result.written = writer.written
            result.output = writer.w.output
        }
        return result
    }
}
