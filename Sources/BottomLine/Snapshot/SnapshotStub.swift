// TEMPORARY: replaced by the snapshot reader's own types on integration.
public struct SnapshotLocation: Sendable, Equatable { public let file: String; public let line: Int; public let index: Int }
public struct Snapshot: Sendable { public let caseID: String; public let record: RecordValue; public let location: SnapshotLocation }
public struct Rejection: Sendable, Equatable {
    public let location: SnapshotLocation
    public let caseID: String?
    public let path: String?
    public let line: Int
    public let column: Int
    public let message: String
    public let help: String?
}
public enum SnapshotResult: Sendable { case accepted(Snapshot); case rejected(Rejection) }
public struct SnapshotReader: Sendable {
    public init(schema: RecordSchema, idField: String) {}
    public func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, emit: (SnapshotResult) -> Void) {}
    public func read(_ bytes: [UInt8], file: String, emit: (SnapshotResult) -> Void) {}
}
