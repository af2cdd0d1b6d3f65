/// Renders diagnostics as JSON for tools, and as SARIF 2.1.0 for code-scanning services.
public struct DiagnosticJSON: Sendable {
    public let sources: SourceMap
    public init(sources: SourceMap) { self.sources = sources }

    /// `{"diagnostics": [...], "errors": N, "warnings": N}` with positions as line/column and
    /// byte offsets.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.key("diagnostics")
        w.beginArray()
        for d in diagnostics.sortedForDisplay() {
            w.beginObject()
            w.field("code", d.code.rawValue)
            w.field("severity", d.severity.rawValue)
            w.field("message", d.message)
            if let s = d.span { location(&w, "location", s) }
            if !d.notes.isEmpty {
                w.key("notes")
                w.beginArray()
                for n in d.notes {
                    w.beginObject()
                    w.field("message", n.message)
                    if let s = n.span { location(&w, "location", s) }
                    w.endObject()
                }
                w.endArray()
            }
            w.optionalField("help", d.help)
            if let f = d.fixIt {
                w.key("fix")
                w.beginObject()
                location(&w, "location", f.span)
                w.field("replacement", f.replacement)
                w.endObject()
            }
            w.endObject()
        }
        w.endArray()
        w.field("errors", diagnostics.filter { $0.severity == .error }.count)
        w.field("warnings", diagnostics.filter { $0.severity == .warning }.count)
        w.endObject()
        return w.string + "\n"
    }

    /// A SARIF 2.1.0 log with one run of the `bottomline` tool.
    public func renderSARIF(_ diagnostics: [Diagnostic], toolVersion: String) -> String {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        w.field("version", "2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()
        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.field("name", "bottomline")
        w.field("version", toolVersion)
        w.key("rules")
        w.beginArray()
        let used = Set(diagnostics.map(\.code))
        for code in DiagnosticCode.allCases where used.contains(code) {
            w.beginObject()
            w.field("id", code.rawValue)
            w.key("shortDescription")
            w.beginObject()
            w.field("text", code.title)
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endObject()
        w.key("results")
        w.beginArray()
        for d in diagnostics.sortedForDisplay() {
            w.beginObject()
            w.field("ruleId", d.code.rawValue)
            w.field("level", d.severity == .note ? "note" : d.severity.rawValue)
            w.key("message")
            w.beginObject()
            w.field("text", d.help.map { "\(d.message) (\($0))" } ?? d.message)
            w.endObject()
            if let s = d.span {
                let f = sources[s.file]
                let (l, c) = f.lineColumn(of: s.start)
                let (el, ec) = f.lineColumn(of: s.end)
                w.key("locations")
                w.beginArray()
                w.beginObject()
                w.key("physicalLocation")
                w.beginObject()
                w.key("artifactLocation")
                w.beginObject()
                w.field("uri", f.path)
                w.endObject()
                w.key("region")
                w.beginObject()
                w.field("startLine", l)
                w.field("startColumn", c)
                w.field("endLine", el)
                w.field("endColumn", ec)
                w.endObject()
                w.endObject()
                w.endObject()
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.string + "\n"
    }

    private func location(_ w: inout JSONWriter, _ key: StaticString, _ s: Span) {
        let f = sources[s.file]
        let (l, c) = f.lineColumn(of: s.start)
        w.key(key)
        w.beginObject()
        w.field("file", f.path)
        w.field("line", l)
        w.field("column", c)
        w.field("offset", s.start)
        w.field("length", s.length)
        w.endObject()
    }
}
