import BottomLine
import Foundation

/// `bottomline lint [PATH...]`.
enum LintCommand {
    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: ["--format", "--rules"])
        if args.wantsHelp {
            Terminal.out(Help.lint)
            return 0
        }
        let format = try args.format(["text", "json", "sarif"], default: "text")
        let targets = args.positional.isEmpty ? [args.options["--rules"] ?? "rules"] : args.positional
        // A file linted on its own is read with the rest of the rule folder, for its schema and calendars.
        var problems: [Diagnostic] = []
        let requested = RuleFilesOnDisk.expand(targets)
        var all = requested
        let context = args.options["--rules"] ?? "rules"
        if FileManager.default.fileExists(atPath: context) {
            let canonical = Set(requested.map(RuleFilesOnDisk.canonical))
            for f in RuleFilesOnDisk.expand([context]) where !canonical.contains(RuleFilesOnDisk.canonical(f)) { all.append(f) }
        }
        let rules = RuleSet.load(paths: all.isEmpty ? targets : all)
        let shownFiles = Set(requested.map(RuleFilesOnDisk.canonical))
        let diagnostics = rules.diagnostics.filter { d in
            guard let s = d.span else { return true }
            return shownFiles.contains(RuleFilesOnDisk.canonical(rules.sources[s.file].path))
        }
        problems += diagnostics
        switch format {
        case "json": Terminal.out(DiagnosticJSON(sources: rules.sources).render(problems))
        case "sarif": Terminal.out(DiagnosticJSON(sources: rules.sources).renderSARIF(problems, toolVersion: Help.version))
        default:
            if problems.isEmpty {
                Terminal.out("\(requested.count) rule file\(requested.count == 1 ? "" : "s") checked: no problems\n")
            } else {
                Terminal.out(DiagnosticRenderer(sources: rules.sources, colour: Terminal.colourOnStandardError && isatty(1) != 0).render(problems))
            }
        }
        return problems.hasErrors ? 1 : 0
    }
}

/// Rule files on disk, for the command line.
enum RuleFilesOnDisk {
    /// Rule files (not tests) named by `paths`; a path that does not exist is kept, for
    /// `RuleSet.load` to report.
    static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { FilePaths.expand($0, keep: { $0.hasSuffix(".rules") && !$0.hasSuffix(".test.rules") }) ?? [$0] }
    }

    static func canonical(_ p: String) -> String {
        URL(fileURLWithPath: p).standardizedFileURL.path
    }
}
