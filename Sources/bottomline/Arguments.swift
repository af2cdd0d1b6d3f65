import BottomLine

/// A usage error: the command line was not understood. Exit code 2.
struct UsageError: Error {
    let message: String
    let help: String?
    init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }
}

/// Parsed options and positional arguments of one command.
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// Splits `args` by the options a command accepts (`valued` take a value, `switches` don't).
    init(_ args: [String], valued: Set<String>, switches: Set<String> = ["--help", "-h"]) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") || (a.hasPrefix("-") && a.count > 1 && Int(a) == nil) {
                var name = a
                var value: String?
                if let eq = a.firstIndex(of: "=") {
                    name = String(a[..<eq])
                    value = String(a[a.index(after: eq)...])
                }
                if valued.contains(name) {
                    if value == nil {
                        i += 1
                        guard i < args.count else { throw UsageError("`\(name)` needs a value") }
                        value = args[i]
                    }
                    options[name] = value
                } else if switches.contains(name) {
                    flags.insert(name)
                } else {
                    let all = (valued.union(switches)).sorted()
                    let near = all.min { editDistanceCLI($0, name) < editDistanceCLI($1, name) }
                    throw UsageError("unknown option `\(name)`", help: near.map { "did you mean `\($0)`?" })
                }
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    var wantsHelp: Bool { flags.contains("--help") || flags.contains("-h") }

    /// `--as-of DATE`, defaulting to `today` (read by the command line, never by the engine).
    func asOf(today: LocalDate) throws -> LocalDate {
        guard let s = options["--as-of"] else { return today }
        guard let d = LocalDate(iso: s) else {
            throw UsageError("`--as-of \(s)` is not a date", help: "write it as YYYY-MM-DD, for example `--as-of 2019-04-30`")
        }
        return d
    }

    /// `--format`, checked against the formats a command offers.
    func format(_ allowed: [String], default d: String) throws -> String {
        let f = options["--format"] ?? d
        guard allowed.contains(f) else {
            throw UsageError("`--format \(f)` is not available here", help: "choose one of \(allowed.map { "`\($0)`" }.joined(separator: ", "))")
        }
        return f
    }
}

func editDistanceCLI(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var prev = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(1, b.count) where !b.isEmpty {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}
