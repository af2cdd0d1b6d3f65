/// The events of the schedule being judged (see `ScheduleEventsPlan.read`), in room the
/// evaluator keeps from one schedule to the next: filled and emptied without the checks of an
/// array (each append to an array checked that its storage was not shared, through a captured
/// variable, and emptying one kept for its room went through the standard library's general
/// replacement of a range: 1.2% of the instructions of an actionable run between them). Events are plain data, so
/// nothing is destroyed when the list is emptied.
///
/// Used by one judging at a time (a schedule's events hold no schedule): the evaluator's
/// copies share it, and none judges while another does.
final class ScheduleEventList: @unchecked Sendable {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<ScheduleEvent>
    @exclusivity(unchecked) private var capacity: Int
    /// How many events are in the list.
    @exclusivity(unchecked) private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = Swift.max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }
    /// The last event, if any.
    var last: ScheduleEvent? { count > 0 ? base[count &- 1] : nil }

    /// The event at `i` (0 ≤ `i` < `count`).
    @inline(__always) subscript(i: Int) -> ScheduleEvent {
        precondition(i >= 0 && i < count, "an event of the list")
        return base[i]
    }

    /// Empties the list, keeping its room.
    @inline(__always) func removeAll() { count = 0 }

    @inline(__always) func append(_ e: ScheduleEvent) {
        if count == capacity { grow() }
        (base + count).initialize(to: e)
        count &+= 1
    }

    /// Sorts the events by date, as `Array.sort(by:)` sorts them (the same algorithm: events of
    /// the same date keep their order).
    func sortByDate() {
        var events = UnsafeMutableBufferPointer(start: base, count: count)
        events.sort { $0.date < $1.date }
    }

    /// The events, as an array (for tests).
    var all: [ScheduleEvent] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(never) private func grow() {
        let larger = UnsafeMutablePointer<ScheduleEvent>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }
}
