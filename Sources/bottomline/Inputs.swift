import BottomLine
import Foundation

/// Reads the snapshot inputs of `check` and `explain`: files, folders (every .json and .ndjson
/// inside, in path order) and `-` for standard input.
enum Inputs {
    static func read(_ paths: [String]) throws -> [(file: String, bytes: [UInt8])] {
        guard !paths.isEmpty else {
            throw UsageError("no input given", help: "name snapshot files or folders, or `-` for standard input, e.g. `examples/cases/`")
        }
        var out: [(String, [UInt8])] = []
        let fm = FileManager.default
        for p in paths {
            if p == "-" {
                out.append(("<stdin>", Array(FileHandle.standardInput.readDataToEndOfFile())))
                continue
            }
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                throw UsageError("`\(p)` does not exist", help: "give a .json or .ndjson file, a folder of them, or `-`")
            }
            let files: [String]
            if isDir.boolValue {
                let base = p.hasSuffix("/") ? String(p.dropLast()) : p
                files = (fm.enumerator(atPath: p)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.hasSuffix(".json") || $0.hasSuffix(".ndjson") }.sorted().map { base + "/" + $0 }
                if files.isEmpty { Terminal.err("warning: `\(p)` has no .json or .ndjson files\n") }
            } else {
                files = [p]
            }
            for f in files {
                guard let data = fm.contents(atPath: f) else {
                    throw UsageError("cannot read `\(f)`", help: "check that the file exists and can be read")
                }
                out.append((f, Array(data)))
            }
        }
        return out
    }

    /// The input files named by `paths` (folders expanded to their .json and .ndjson files, in
    /// path order; `-` kept as standard input), checked to exist.
    static func sources(_ paths: [String]) throws -> [(path: String, isStdin: Bool)] {
        guard !paths.isEmpty else {
            throw UsageError("no input given", help: "name snapshot files or folders, or `-` for standard input, e.g. `examples/cases/`")
        }
        var out: [(String, Bool)] = []
        let fm = FileManager.default
        for p in paths {
            if p == "-" {
                out.append(("-", true))
                continue
            }
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                throw UsageError("`\(p)` does not exist", help: "give a .json or .ndjson file, a folder of them, or `-`")
            }
            if isDir.boolValue {
                let base = p.hasSuffix("/") ? String(p.dropLast()) : p
                let files = (fm.enumerator(atPath: p)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.hasSuffix(".json") || $0.hasSuffix(".ndjson") }.sorted().map { base + "/" + $0 }
                if files.isEmpty { Terminal.err("warning: `\(p)` has no .json or .ndjson files\n") }
                out += files.map { ($0, false) }
            } else {
                out.append((p, false))
            }
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
