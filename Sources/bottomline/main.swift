import BottomLine
import Foundation

/// Exit codes: 0 success; 1 the command found what it exists to find; 2 usage error or
/// unreadable input.
let arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first ?? "help"
let rest = Array(arguments.dropFirst())
var code: Int32 = 0
do {
    switch command {
    case "lint": code = try LintCommand.run(rest)
    case "check": code = try CheckCommand.run(rest)
    case "explain": code = try ExplainCommand.run(rest)
    case "date": code = try DateCommand.run(rest)
    case "test": code = try TestCommand.run(rest)
    case "bench-read": code = try BenchRead.run(rest)
    case "help", "--help", "-h":
        if let topic = rest.first, let text = Help.topics[topic] { Terminal.out(text) } else { Terminal.out(Help.overview) }
    case "--version", "version": Terminal.out("bottomline \(Help.version)\n")
    default:
        let near = Help.commands.min { editDistanceCLI($0, command) < editDistanceCLI($1, command) }
        throw UsageError("unknown command `\(command)`", help: near.map { "did you mean `bottomline \($0)`? Run `bottomline help` for the list" })
    }
} catch let e as UsageError {
    Terminal.err("error: \(e.message)\n")
    if let h = e.help { Terminal.err("  help: \(h)\n") }
    code = 2
}
exit(code)
