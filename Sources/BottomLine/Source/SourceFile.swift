/// Identifies a `SourceFile` within a `SourceMap`.
public struct FileID: Hashable, Sendable, Comparable {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: FileID, b: FileID) -> Bool { a.index < b.index }
}

/// A range of bytes in a source file: a byte offset and a length. Line and column are computed
/// only when a span is printed.
public struct Span: Hashable, Sendable {
    public let file: FileID
    public let start: Int
    public let length: Int

    public init(file: FileID, start: Int, length: Int) {
        self.file = file
        self.start = start
        self.length = length
    }

    public var end: Int { start + length }

    /// The smallest span covering both (which must be in the same file).
    public func through(_ other: Span) -> Span {
        let s = min(start, other.start)
        return Span(file: file, start: s, length: max(end, other.end) - s)
    }
}

/// The text of one rule file (or any named text), with a line table for printing positions.
public struct SourceFile: Sendable {
    /// The name used in messages: a path as the user gave it, or a label such as `<string>`.
    public let path: String
    public let text: String
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    public func lineColumn(of offset: Int) -> (line: Int, column: Int) {
        let line = lineIndex(of: offset)
        let start = lineStarts[line]
        let end = min(max(offset, start), bytes.count)
        let column = String(decoding: bytes[start..<end], as: UTF8.self).count + 1
        return (line + 1, column)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The text a span covers.
    public func text(of span: Span) -> String {
        let s = max(0, min(span.start, bytes.count))
        let e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }

    public var lineCount: Int { lineStarts.count }

    private func lineIndex(of offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// The files a run has read, indexed by `FileID`; turns spans into printable positions.
public struct SourceMap: Sendable {
    public private(set) var files: [SourceFile] = []
    public init() {}

    /// Adds a file and returns its id.
    public mutating func add(_ file: SourceFile) -> FileID {
        files.append(file)
        return FileID(files.count - 1)
    }

    public subscript(id: FileID) -> SourceFile { files[id.index] }

    /// `path:line:column` of the start of a span.
    public func location(_ span: Span) -> String {
        let f = self[span.file]
        let (l, c) = f.lineColumn(of: span.start)
        return "\(f.path):\(l):\(c)"
    }
}
