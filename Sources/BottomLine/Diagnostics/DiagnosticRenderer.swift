/// Renders diagnostics for people: the message, `path:line:column`, the source line with the
/// span underlined, then notes and help. With `colour`, ANSI colours are added (the command line
/// turns them on only for a terminal, and never when `NO_COLOR` is set).
public struct DiagnosticRenderer: Sendable {
    public let sources: SourceMap
    public let colour: Bool

    public init(sources: SourceMap, colour: Bool = false) {
        self.sources = sources
        self.colour = colour
    }

    /// All diagnostics, in display order, followed by a one-line count.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics.sortedForDisplay() { out += render(d) + "\n" }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        if errors + warnings > 0 {
            out += paint("\(plural(errors, "error")), \(plural(warnings, "warning"))", bold) + "\n"
        }
        return out
    }

    /// One diagnostic.
    public func render(_ d: Diagnostic) -> String {
        let head = paint("\(d.severity.rawValue)[\(d.code.rawValue)]", severityColour(d.severity))
        var lines = [head + paint(": " + d.message, bold)]
        if let span = d.span {
            lines += snippet(span)
        }
        for note in d.notes {
            if let s = note.span {
                lines.append("   = note: \(note.message) (\(sources.location(s)))")
            } else {
                lines.append("   = note: \(note.message)")
            }
        }
        if let help = d.help { lines.append("   = " + paint("help", cyan) + ": " + help) }
        if let fix = d.fixIt {
            lines.append("   = " + paint("fix", cyan) + ": replace with `\(fix.replacement)`")
        }
        return lines.joined(separator: "\n")
    }

    private func snippet(_ span: Span) -> [String] {
        let file = sources[span.file]
        let (line, column) = file.lineColumn(of: span.start)
        let text = file.lineText(line)
        let gutter = String(repeating: " ", count: String(line).count)
        let chars = Array(text)
        let startCol = min(column - 1, chars.count)
        let spanText = file.text(of: span)
        let firstLine = spanText.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        let width = max(1, min(firstLine.count, max(1, chars.count - startCol)))
        let pad = String(chars[0..<startCol].map { $0 == "\t" ? "\t" : " " })
        return [
            "\(gutter)--> \(file.path):\(line):\(column)",
            "\(gutter) |",
            "\(line) | \(text)",
            "\(gutter) | \(pad)" + paint(String(repeating: "^", count: width), red),
        ]
    }

    private func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    private let red = "31"
    private let yellow = "33"
    private let cyan = "36"
    private let bold = "1"

    private func severityColour(_ s: Severity) -> String {
        switch s {
        case .error: return "1;31"
        case .warning: return "1;33"
        case .note: return "1;36"
        }
    }

    private func paint(_ s: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
