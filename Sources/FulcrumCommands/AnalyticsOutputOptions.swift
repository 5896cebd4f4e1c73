public import ArgumentParser

/// The output flags shared by the analytics commands (`heatmap`, `liq-prob`, `margin-model`, `adl`, `backtest`,
/// `scan`): plain text by default, `--json` for one JSON object, `--csv` for the command's table, and `--report` for
/// a self-contained HTML report written beside whatever is printed.
public struct AnalyticsOutputOptions: ParsableArguments {
    /// `--json`: print one JSON object.
    @Flag(help: "Print one JSON object.")
    public var json = false

    /// `--csv`: print the command's table as CSV (its columns are listed in the command's description).
    @Flag(help: "Print the command's table as CSV (columns: see the description).")
    public var csv = false

    /// `--report PATH`: write a self-contained HTML report.
    @Option(help: "Write a self-contained HTML report to this path.")
    public var report: String?

    /// Creates the defaults: text output, no report.
    public init() {}
}
