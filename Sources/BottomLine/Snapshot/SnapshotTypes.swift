/// Where a snapshot came from: the file name as given, the 1-based line of its opening `{`, and
/// its 0-based position among the snapshots of that file.
public struct SnapshotLocation: Sendable, Equatable {
    public let file: String
    public let line: Int
    public let index: Int
    public init(file: String, line: Int, index: Int) {
        self.file = file
        self.line = line
        self.index = index
    }
}

/// An accepted snapshot: its case id, its fields by schema slot, and where it came from.
public struct Snapshot: Sendable {
    public let caseID: String
    public let record: RecordValue
    public let location: SnapshotLocation
    public init(caseID: String, record: RecordValue, location: SnapshotLocation) {
        self.caseID = caseID
        self.record = record
        self.location = location
    }
}

/// A snapshot that could not be evaluated, and why. Every snapshot attempted is either accepted
/// or rejected: none is dropped without saying so.
public struct Rejection: Sendable, Equatable {
    /// Where the snapshot starts.
    public let location: SnapshotLocation
    /// The case id, when it could be read.
    public let caseID: String?
    /// The field at fault, as a path rooted at `case` (`case.section47[0].icpc`).
    public let path: String?
    /// 1-based line and column (in bytes) of the problem itself.
    public let line: Int
    public let column: Int
    /// What is wrong, in the house style (lower case, no final full stop, user text in backticks).
    public let message: String
    /// What to do about it.
    public let help: String?

    public init(location: SnapshotLocation, caseID: String?, path: String?, line: Int, column: Int, message: String, help: String?) {
        self.location = location
        self.caseID = caseID
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.help = help
    }
}

extension Rejection {
    /// The input `file` as a whole, when the rule set has errors and nothing could be evaluated.
    static func unusableRules(file: String) -> Rejection {
        Rejection(location: SnapshotLocation(file: file, line: 1, index: 0), caseID: nil, path: nil, line: 1, column: 1,
            message: "the rule set has errors, so nothing was evaluated", help: "run `bottomline lint` to see them")
    }
}

/// One snapshot read: accepted, or rejected with its reason.
public enum SnapshotResult: Sendable {
    case accepted(Snapshot)
    case rejected(Rejection)
}
