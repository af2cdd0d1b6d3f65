/// The catalogue of diagnostic codes. Codes are stable: once released, a code keeps its meaning;
/// new problems get new codes. Grammar.md lists them with an example each.
public enum DiagnosticCode: String, Sendable, CaseIterable, Codable {
    // Lexical (BL00x)
    case unexpectedCharacter = "BL001"
    case unterminatedString = "BL002"
    case invalidDate = "BL003"
    case invalidNumber = "BL004"
    case tabIndent = "BL005"
    // Syntax (BL01x)
    case syntax = "BL010"
    case layout = "BL011"
    case unknownClause = "BL012"
    case repeatedClause = "BL013"
    // Names and types (BL02x)
    case unknownField = "BL020"
    case unknownName = "BL021"
    case typeMismatch = "BL022"
    case notAList = "BL023"
    case nameAlreadyBound = "BL024"
    // Rules (BL03x)
    case duplicateRule = "BL030"
    case missingSource = "BL031"
    case missingKind = "BL032"
    case missingRequirement = "BL033"
    case missingDone = "BL034"
    case conflictingForms = "BL035"
    case unknownRule = "BL036"
    // Calendars (BL04x)
    case unknownCalendar = "BL040"
    case noCalendar = "BL041"
    case duplicateDefinition = "BL042"
    case holidayOutsideRange = "BL043"
    case duplicateHoliday = "BL044"
    case badCalendar = "BL045"
    // Params (BL05x)
    case unusedParam = "BL050"
    case paramDatesOutOfOrder = "BL051"
    // Schema and files (BL06x)
    case noSchema = "BL060"
    case unreadableFile = "BL061"
    case emptyRuleSet = "BL062"
    // Tests (BL07x)
    case testFailed = "BL070"
    case testAssertsNothing = "BL071"
    case testCaseInvalid = "BL072"

    /// The severity a diagnostic with this code has unless a stage says otherwise.
    public var defaultSeverity: Severity {
        switch self {
        case .unusedParam: return .warning
        default: return .error
        }
    }

    /// A short name for the problem, used by SARIF and `lint --explain`-style listings.
    public var title: String {
        switch self {
        case .unexpectedCharacter: return "unexpected character"
        case .unterminatedString: return "unterminated text"
        case .invalidDate: return "invalid date"
        case .invalidNumber: return "invalid number"
        case .tabIndent: return "tab used for indentation"
        case .syntax: return "syntax error"
        case .layout: return "layout error"
        case .unknownClause: return "unknown clause"
        case .repeatedClause: return "clause given twice"
        case .unknownField: return "unknown field"
        case .unknownName: return "unknown name"
        case .typeMismatch: return "type mismatch"
        case .notAList: return "not a list"
        case .nameAlreadyBound: return "name already bound"
        case .duplicateRule: return "duplicate rule id"
        case .missingSource: return "rule without a source"
        case .missingKind: return "rule without a kind"
        case .missingRequirement: return "rule without a requirement"
        case .missingDone: return "deadline without `done`"
        case .conflictingForms: return "rule mixes forms"
        case .unknownRule: return "unknown rule"
        case .unknownCalendar: return "unknown calendar"
        case .noCalendar: return "no calendar in use"
        case .duplicateDefinition: return "defined twice"
        case .holidayOutsideRange: return "holiday outside the calendar's range"
        case .duplicateHoliday: return "holiday listed twice"
        case .badCalendar: return "malformed calendar"
        case .unusedParam: return "unused param"
        case .paramDatesOutOfOrder: return "param dates out of order"
        case .noSchema: return "no schema"
        case .unreadableFile: return "unreadable file"
        case .emptyRuleSet: return "no rules"
        case .testFailed: return "test failed"
        case .testAssertsNothing: return "test asserts nothing"
        case .testCaseInvalid: return "invalid test case"
        }
    }
}
