extension ReportJSON {
    /// What a rule's findings' JSON always says the same way, rendered once a run: the rule's
    /// id, then its title, kind and source (the same in every finding of the rule); and the
    /// workings steps that read the same in many of them: the as-of step of an open occurrence
    /// (the run's as-of date), a schedule's step for an occurrence no event has met yet, and its
    /// step for a period whose end is not recorded. An open occurrence's workings end with all
    /// three, and writing them word by word cost more than the rest of its finding.
    ///
    /// A rendered step is kept with what tells the step it stands for (its label, and path), and
    /// written only for a step equal to it; its bytes are the ones `ReportJSON.writeStep` writes
    /// for that step, made by it. All the parts lie in one run of bytes, one after another, with
    /// where each ends: passed for every finding written, the rule's fields count one reference
    /// and are copied in a few words (with a reference, or a range, for each part, they counted
    /// some fifteen more and were copied seven times a finding).
    struct RuleFields: Sendable {
        /// The parts, one after another.
        let bytes: [UInt8]
        /// Where each part ends in `bytes` (by `Part`; an absent part is empty).
        private let ends: SIMD8<Int32>
        /// The run's as-of date, which `Part.asOfStep` gives.
        private let asOf: LocalDate

        /// The parts of `bytes`, in order.
        private enum Part: Int {
            case id, text, asOfStep, noEventLabel, noEventStep, openEndLabel, openEndPath, openEndStep
        }

        /// `rule`'s fields and steps, rendered by `json` for a run as of `asOf`.
        init(_ rule: CheckedRule, asOf: LocalDate, json: ReportJSON) {
            var bytes: [UInt8] = []
            var ends = SIMD8<Int32>()
            func add(_ part: Part, _ piece: [UInt8]) {
                bytes += piece
                ends[part.rawValue] = Int32(bytes.count)
            }
            func rendered(_ e: TraceEvent) -> [UInt8] {
                var w = JSONWriter()
                withUnsafePointer(to: e) { json.writeStep($0, &w) }
                return w.bytes
            }
            add(.id, JSONWriter.renderedFields { $0.field("rule", rule.id) })
            add(.text, JSONWriter.renderedFields { w in
                w.field("title", rule.title)
                w.field("kind", rule.kind)
                w.field("source", rule.source)
            })
            add(.asOfStep, rendered(.asOf(asOf)))
            var noEvent: EventStep?
            var openEnd: (label: String, path: String)?
            if case .schedule(let s) = rule.form {
                noEvent = EventStep(label: s.events.label, date: nil, path: .text(EventStep.noLaterEvent))
                if let until = s.until, let path = until.fixedPath?.text { openEnd = (until.label, path) }
            }
            add(.noEventLabel, noEvent.map { Array($0.label.utf8) } ?? [])
            add(.noEventStep, noEvent.map { rendered($0.fact) } ?? [])
            add(.openEndLabel, openEnd.map { Array($0.label.utf8) } ?? [])
            add(.openEndPath, openEnd.map { Array($0.path.utf8) } ?? [])
            add(.openEndStep, openEnd.map { rendered(.fact(label: $0.label, value: .absent, path: $0.path)) } ?? [])
            self.bytes = bytes
            self.ends = ends
            self.asOf = asOf
        }

        @inline(__always) private func range(_ p: Part) -> Range<Int> {
            (p.rawValue == 0 ? 0 : Int(ends[p.rawValue - 1]))..<Int(ends[p.rawValue])
        }

        /// Writes the id's field (`first`) or the others into the object `w` is writing.
        func write(first: Bool, _ w: inout JSONWriter) {
            write(first ? .id : .text, &w)
        }

        /// Writes `part` into the object or array `w` is writing.
        @inline(__always) private func write(_ part: Part, _ w: inout JSONWriter) {
            let r = range(part)
            bytes.withUnsafeBufferPointer { w.fields(rendered: UnsafeBufferPointer(rebasing: $0[r])) }
        }

        /// Writes `step` rendered, when it is the step for no event; false otherwise.
        @inline(__always) func writeRendered(_ step: EventStep, _ w: inout JSONWriter) -> Bool {
            guard step.date == nil, case .text(let path) = step.path, path == EventStep.noLaterEvent,
                !range(.noEventStep).isEmpty, holds(step.label, at: .noEventLabel)
            else { return false }
            write(.noEventStep, &w)
            return true
        }

        /// Writes `e` rendered, when it is the step for the period's end not recorded; false otherwise.
        @inline(__always) func writeRendered(_ e: UnsafePointer<TraceEvent>, _ w: inout JSONWriter) -> Bool {
            guard !range(.openEndStep).isEmpty, case .fact(let label, .absent, let path) = e.pointee,
                holds(path, at: .openEndPath), holds(label, at: .openEndLabel)
            else { return false }
            write(.openEndStep, &w)
            return true
        }

        /// Writes the as-of step of `date` rendered, when it is the run's as-of date; false otherwise.
        @inline(__always) func writeRendered(asOf date: LocalDate, _ w: inout JSONWriter) -> Bool {
            guard date == asOf else { return false }
            write(.asOfStep, &w)
            return true
        }

        /// Whether `part` holds the UTF-8 of `s`.
        @inline(__always) private func holds(_ s: String, at part: Part) -> Bool {
            let r = range(part)
            guard s.utf8.count == r.count else { return false }
            return bytes.withUnsafeBufferPointer { b in
                s.utf8.withContiguousStorageIfAvailable { sameBytes($0.baseAddress!, b.baseAddress! + r.lowerBound, count: r.count) }
                    ?? s.utf8.elementsEqual(b[r])
            }
        }
    }
}
