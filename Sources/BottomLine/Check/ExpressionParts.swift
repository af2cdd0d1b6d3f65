/// The parts of checked rules and expressions, for the analyses that walk them (`FieldsRead`,
/// `DeferredFields`).
extension CheckedRule {
    /// The expressions the rule evaluates for a case or for each item (all but its `for each`
    /// list): `applies when`, and the parts of its form.
    var judgedParts: [CompiledExpression] {
        var parts = appliesWhen.map { [$0] } ?? []
        switch form {
        case .schedule(let s):
            parts += [s.from, s.events]
            if let until = s.until { parts.append(until) }
            if let alt = s.alternative {
                if let d = alt.afterDate { parts.append(d) }
                if let w = alt.when { parts.append(w) }
            }
        case .population(let p):
            parts += [p.key, p.requirement]
            for a in p.aggregates { parts += a.selection.parts }
        case .deadline(let due, let done, _):
            parts += [due, done]
        case .condition(let e):
            parts.append(e)
        }
        return parts
    }
}

extension CompiledExpression {
    /// The expressions this one is made of (for a selection, its list and condition).
    var parts: [CompiledExpression] {
        switch kind {
        case .constant, .duration, .root, .local, .param:
            return []
        case .field(let a, _, _), .project(let a, _, _), .negate(let a), .not(let a), .presence(let a, _):
            return [a]
        case .shift(let a, let b, _), .arithmetic(_, let a, let b), .compare(_, let a, let b), .and(let a, let b),
            .or(let a, let b), .between(_, let a, let b):
            return [a, b]
        case .aggregate(_, let s), .selection(let s):
            return s.parts
        }
    }
}

extension CompiledSelection {
    /// Its list and its condition.
    var parts: [CompiledExpression] { [list] + (condition.map { [$0] } ?? []) }
}
