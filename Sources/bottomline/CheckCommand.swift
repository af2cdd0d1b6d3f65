import BottomLine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `bottomline check --as-of DATE INPUT...`.
enum CheckCommand {
    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: ["--as-of", "--rules", "--format", "--show", "--fail-on", "--threads"],
            switches: ["--help", "-h", "--stats"])
        if args.wantsHelp {
            Terminal.out(Help.check)
            return 0
        }
        let format = try args.format(["text", "json", "ndjson"], default: "text")
        let asOf = try args.asOf(today: Terminal.today())
        let show: FindingFilter
        switch args.options["--show"] {
        case nil: show = format == "text" ? .actionable : .all
        case "actionable"?: show = .actionable
        case "all"?: show = .all
        case "counts"?: show = .counts
        case let s?: throw UsageError("`--show \(s)` is not an option", help: "use `--show actionable`, `--show all` or `--show counts`")
        }
        var failOn: Set<Outcome> = []
        for name in (args.options["--fail-on"] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let o = Outcome(rawValue: name.replacingOccurrences(of: "-", with: "_")) else {
                throw UsageError("`\(name)` is not an outcome", help: "outcomes are \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            failOn.insert(o)
        }
        let rules = try Inputs.rules(args)
        if format == "ndjson" {
            var threads = ProcessInfo.processInfo.activeProcessorCount
            if let t = args.options["--threads"] {
                guard let n = Int(t), n >= 1 else { throw UsageError("`--threads \(t)` is not a number of threads", help: "give a whole number, 1 or more") }
                threads = n
            }
            return try streamNDJSON(rules, asOf: asOf, show: show, threads: threads, failOn: failOn, paths: args.positional,
                stats: args.flags.contains("--stats"))
        }
        let inputs = try Inputs.read(args.positional)
        let report = rules.evaluate(inputs: inputs, asOf: asOf, explaining: show)
        switch format {
        case "json": Terminal.out(ReportJSON().render(report, show: show))
        case "ndjson": Terminal.out(ReportJSON().renderNDJSON(report, show: show))
        default: Terminal.out(ReportText().render(report, show: show))
        }
        return report.findings.contains { failOn.contains($0.outcome) } ? 1 : 0
    }
}

extension CheckCommand {
    /// `--format ndjson`: streams each input through `StreamingCheck`, so memory stays bounded
    /// and every core is used; output is the same whatever the number of threads.
    static func streamNDJSON(_ rules: RuleSet, asOf: LocalDate, show: FindingFilter, threads: Int, failOn: Set<Outcome>,
        paths: [String], stats: Bool = false) throws -> Int32
    {
        let check = StreamingCheck(rules: rules, asOf: asOf, show: show, threads: threads)
        Memory.keepFreedMemory()
        var state = check.start()
        let out = FileHandle.standardOutput
        let write: (UnsafeBufferPointer<UInt8>) -> Void = { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            out.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none))
        }
        for source in try Inputs.sources(paths) {
            guard let handle = source.path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: source.path) else {
                throw UsageError("cannot read `\(source.path)`", help: "check that the file exists and can be read")
            }
            let name = source.path == "-" ? "<stdin>" : source.path
            let fd = handle.fileDescriptor
            let splitLines = !source.path.hasSuffix(".json")
            // A regular file is mapped into memory: its batches are windows on it, not copies.
            if source.path != "-", let mapped = MappedFile(fd: fd) {
                check.run(file: name, bytes: mapped.bytes, splitLines: splitLines, write: write,
                    consumed: { mapped.release(upTo: $0) }, state: &state)
                mapped.close()
                continue
            }
            check.run(file: name, splitLines: splitLines, read: {
                // Straight from the file into the array: no `Data` in between.
                [UInt8](unsafeUninitializedCapacity: 1 << 20) { buffer, count in
                    var n = 0
                    while n < buffer.count {
                        let r = Glibc.read(fd, buffer.baseAddress! + n, buffer.count - n)
                        if r > 0 { n += r } else if r == 0 || errno != EINTR { break }
                    }
                    count = n
                }
            }, write: write, state: &state)
        }
        check.finish(&state, write: write)
        if stats {
            Terminal.err("{\"cases_read\": \(state.casesRead), \"cases_rejected\": \(state.casesRejected), \"findings\": \(state.findingsEvaluated), \"findings_written\": \(state.findingsWritten), \"threads\": \(threads)}\n")
        }
        return state.failed(on: failOn) ? 1 : 0
    }
}
