import BottomLine
import Foundation

/// Reads the snapshot inputs of `check` and `explain`: files, folders (every .json and .ndjson
/// inside, in path order) and `-` for standard input.
enum Inputs {
    /// Reads every input whole (for text and JSON output, and `explain`).
    static func read(_ paths: [String]) throws -> [(file: String, bytes: [UInt8])] {
        try sources(paths).map { source in
            if source.isStdin { return ("<stdin>", Array(FileHandle.standardInput.readDataToEndOfFile())) }
            guard let data = FileManager.default.contents(atPath: source.path) else {
                throw UsageError("cannot read `\(source.path)`", help: "check that the file exists and can be read")
            }
            return (source.path, Array(data))
        }
    }

    /// The input files named by `paths` (folders expanded to their .json and .ndjson files, in
    /// path order; `-` kept as standard input), checked to exist.
    static func sources(_ paths: [String]) throws -> [(path: String, isStdin: Bool)] {
        guard !paths.isEmpty else {
            throw UsageError("no input given", help: "name snapshot files or folders, or `-` for standard input, e.g. `examples/cases/`")
        }
        var out: [(String, Bool)] = []
        for p in paths {
            if p == "-" {
                out.append(("-", true))
                continue
            }
            guard let files = FilePaths.expand(p, keep: { $0.hasSuffix(".json") || $0.hasSuffix(".ndjson") }) else {
                throw UsageError("`\(p)` does not exist", help: "give a .json or .ndjson file, a folder of them, or `-`")
            }
            if files.isEmpty { Terminal.err("warning: `\(p)` has no .json or .ndjson files\n") }
            out += files.map { ($0, false) }
        }
        return out
    }

    /// Loads the rule set for `check`/`explain`/`date`, or explains why it can't be used.
    static func rules(_ args: Arguments) throws -> RuleSet {
        let dir = args.options["--rules"] ?? "rules"
        let rules = RuleSet.load(paths: [dir])
        guard rules.isUsable else {
            Terminal.err(rules.renderDiagnostics(colour: Terminal.colourOnStandardError))
            throw UsageError("the rules in `\(dir)` have errors, so nothing was evaluated", help: "fix them; `bottomline lint \(dir)` lists them")
        }
        return rules
    }
}

/// Files named on the command line: a file as it is, a folder as the files inside it (at any
/// depth) that `keep` accepts, in path order.
enum FilePaths {
    /// `nil` when `path` does not exist.
    static func expand(_ path: String, keep: (String) -> Bool) -> [String]? {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
        guard isDir.boolValue else { return [path] }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        return (fm.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []).filter(keep).sorted().map { base + "/" + $0 }
    }
}
