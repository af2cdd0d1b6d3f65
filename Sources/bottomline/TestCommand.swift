import BottomLine
import Foundation

/// `bottomline test [PATH...]`: runs the `*.test.rules` files (default: in rules/).
enum TestCommand {
    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: ["--rules"])
        if args.wantsHelp {
            Terminal.out(Help.test)
            return 0
        }
        let rules = try Inputs.rules(args)
        let targets = args.positional.isEmpty ? [args.options["--rules"] ?? "rules"] : args.positional
        var files: [(String, String)] = []
        for t in targets {
            guard let paths = FilePaths.expand(t, keep: { $0.hasSuffix(".test.rules") }) else {
                throw UsageError("`\(t)` does not exist", help: "give a test file (`*.test.rules`) or a folder of them")
            }
            for p in paths {
                guard let text = try? String(contentsOfFile: p, encoding: .utf8) else { throw UsageError("cannot read `\(p)`") }
                files.append((p, text))
            }
        }
        if files.isEmpty { throw UsageError("no tests found in \(targets.joined(separator: ", "))", help: "tests live in `*.test.rules` files beside the rules") }
        let report = RuleTests.run(rules: rules, files: files) { path in FileManager.default.contents(atPath: path).map { Array($0) } }
        Terminal.out(RuleTests.text(report, colour: Terminal.colourOnStandardError && isatty(1) != 0))
        return report.succeeded ? 0 : 1
    }
}
