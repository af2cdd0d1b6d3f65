/// Room for the fields of a list of records while it is read (`BuiltFields`), kept by a
/// `ReadRun` from one list to the next: fields are written where they lie (an array's `append` or
/// subscript checks each time that it is unique and has room), then moved to where the list is
/// kept (`ValueKeeper`). Nothing is in it between lists.
final class FieldRoom {
    private(set) var buffer: UnsafeMutablePointer<Value>
    private(set) var capacity: Int

    init() {
        capacity = 256
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// Makes room for `count` values, the first `used` of which are kept.
    @inline(__always) func reserve(_ count: Int, keeping used: Int) {
        if count > capacity { grow(count, keeping: used) }
    }

    private func grow(_ count: Int, keeping used: Int) {
        capacity = Swift.max(capacity * 2, count)
        let larger = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        larger.moveInitialize(from: buffer, count: used)
        buffer.deallocate()
        buffer = larger
    }
}
