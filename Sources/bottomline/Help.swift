/// Usage text for `bottomline help` and `bottomline <command> --help`.
enum Help {
    static let version = "0.1.0"
    static let commands = ["lint", "check", "explain", "date", "test", "help"]

    static let overview = """
        bottomline: children's services bottom lines and statutory timescales, checked against case snapshots

        usage: bottomline <command> [options]

        commands:
          lint [PATH...]                 check rule files for mistakes (default: rules/)
          check --as-of DATE INPUT...    evaluate the rules against case snapshots and print findings
          explain --rule ID --case ID INPUT...
                                         the full workings out of one finding
          date DATE + N UNIT             the date calculator (`date 2019-03-04 + 15 working days`)
          date between DATE DATE         working days (or --unit days|weeks|months) between two dates
          test [PATH...]                 run the tests written beside the rules (*.test.rules)
          help [COMMAND]                 this text, or a command's

        examples:
          bottomline lint rules/
          bottomline check --as-of 2019-04-30 examples/cases/
          bottomline check --as-of 2019-04-30 --format json examples/cases/c-1042.json
          bottomline explain --as-of 2019-04-30 --rule icpc-timescale --case C-1042 examples/cases/
          bottomline date 2019-03-04 + 15 working days

        exit codes: 0 success; 1 found what the command looks for (lint errors; with --fail-on, findings);
        2 usage error or unreadable input

        """

    static let topics: [String: String] = [
        "lint": lint, "check": check, "explain": explain, "date": date, "test": test,
    ]

    static let lint = """
        usage: bottomline lint [PATH...] [--format text|json|sarif] [--rules DIR]

        Parses and checks rule files: syntax, types, unknown fields against the schema, duplicate ids,
        missing citations, unknown calendars, unused params. PATHs are files or folders (default: rules/).
        A file checked on its own is read together with the rest of --rules (default rules/), so its
        schema, calendars and params are known; only the named files' problems are shown.

        examples:
          bottomline lint
          bottomline lint rules/child-protection.rules
          bottomline lint --format sarif rules/ > lint.sarif

        exit codes: 0 no errors (warnings allowed); 1 errors found; 2 usage error

        """

    static let check = """
        usage: bottomline check [--as-of DATE] [--rules DIR] [--format text|json|ndjson]
                                [--show actionable|all|counts] [--fail-on OUTCOME,...]
                                [--threads N] [--stats] INPUT...

        Evaluates every rule against every snapshot. INPUT is a .json file (one case, or an array of
        cases), an .ndjson file (one case per line), a folder of them, or - for standard input.
        --as-of defaults to today. Text shows what needs action (--show actionable); JSON and NDJSON
        show every finding (--show all); --show counts shows none, only the counts. Rejected
        snapshots are listed with file, line and reason.
        With --format ndjson the input is streamed in batches and evaluated on --threads cores
        (default: all), in bounded memory; the output is the same whatever the number of threads.
        --stats prints the counts of cases and findings to standard error.

        examples:
          bottomline check --as-of 2019-04-30 examples/cases/
          bottomline check --as-of 2019-04-30 --format json --show actionable cases.ndjson
          cat cases.ndjson | bottomline check --as-of 2019-04-30 --fail-on breached,overdue -

        exit codes: 0 ran; 1 with --fail-on, a finding had one of those outcomes; 2 usage error,
        unreadable input, or rules with errors

        """

    static let explain = """
        usage: bottomline explain --rule ID (--case ID [--item ITEM] | --group VALUE) [--as-of DATE]
                                  [--rules DIR] [--format text|json] INPUT...

        Prints the full workings out of one finding (every item's, for a rule with `for each`,
        unless --item names one, like `section47[0]`).

        examples:
          bottomline explain --as-of 2019-04-30 --rule icpc-timescale --case C-1042 examples/cases/
          bottomline explain --as-of 2019-09-30 --rule caseload --group SW-30 examples/cases/

        """

    static let test = """
        usage: bottomline test [PATH...] [--rules DIR]

        Runs the tests in `*.test.rules` files (default: all under rules/) against the rules in --rules
        (default rules/). Each test names an as-of date, one or more cases, and what to expect:

          test "a conference one working day late is a breach"
            as of 2019-04-30
            case { case_id: "T1", section47: [ { strategy_discussion: 2019-03-04, icpc_required: true, icpc: 2019-03-26 } ] }
            expect icpc-timescale breached late by 1 working day

        Prints each test by name, what was expected and found for a failure, then `N passed, N failed`.

        exit codes: 0 all passed; 1 a test failed, or a test file has errors; 2 usage error

        """

    static let date = """
        usage: bottomline date DATE (+|-) N UNIT [--calendar NAME] [--counting start-day] [--format text|json]
               bottomline date between DATE DATE [--unit working-days|days|weeks|months] [--calendar NAME]

        UNIT is days, weeks, months, years or working days. Working days use --calendar (default
        england-and-wales, read from --rules, default rules/). The first line is the answer alone;
        the workings follow. `--counting start-day` counts the start day as day 1.

        examples:
          bottomline date 2019-03-04 + 15 working days
          bottomline date 2019-01-31 + 1 month
          bottomline date between 2019-03-04 2019-03-28

        """
}
