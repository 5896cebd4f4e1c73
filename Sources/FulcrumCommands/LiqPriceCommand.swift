public import ArgumentParser
import FulcrumCore
import FulcrumIO

/// `fulcrum liq-price`: Compute a position's liquidation and bankruptcy price under a venue's published rules.
///
/// The command is thin: it parses the options into a ``LiquidationPriceInput``, calls
/// ``VenueProfile/liquidationQuote(_:market:)`` and prints the result (``report()`` returns the text, so tests run
/// it in-process).
///
/// `--account FILE.json` (cross margin) reads the wallet and the other open positions:
/// `{"wallet": "10000", "positions": [{"market": "ETHUSDT", "side": "short", "entry": "3000", "size": "2",
/// "mark": "3100"}]}` — every number a JSON string holding an exact decimal; optional per-position `"mmr"` and
/// `"mmDeduction"` override that position's bracket (see ``AccountFile``).
public struct LiqPriceCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "liq-price",
        abstract: "Compute a position's liquidation and bankruptcy price under a venue's published rules.",
        discussion: """
            The price is solved from the venue's own trigger (equity = maintenance margin, plus the closing fee \
            where the venue includes it), re-evaluating the margin tier at the solved price. It is rounded to the \
            market tick on the trader's conservative side (long: up, short: down). "none" means the trigger is \
            never reached at a positive price.

            Amounts are in the market's settlement currency (USDT/USDC for linear markets, the coin for inverse \
            ones such as bitmex XBTUSD and bybit BTCUSD). Every number is an exact decimal with at most 8 decimals.

            --account FILE.json (cross margin): {"wallet": "10000", "positions": [{"market": "ETHUSDT", \
            "side": "short", "entry": "3000", "size": "2", "mark": "3100"}]}. Numbers are JSON strings; \
            optional "mmr" and "mmDeduction" per position override its bracket. The wallet comes from the file, so \
            --wallet and --leverage are not used with --account.
            """
    )

    @Option(
        help: ArgumentHelp(
            "Venue: binance, bybit, okx, hyperliquid, dydx, drift, bitmex or generic.",
            valueName: "name"
        )
    )
    public var venue: String

    @Option(help: ArgumentHelp("Position side: long or short.", valueName: "side"))
    public var side: String

    @Option(
        help: ArgumentHelp(
            "Average entry price, in quote currency per unit (USD per coin for inverse markets).",
            valueName: "price"
        )
    )
    public var entry: String

    @Option(
        help: ArgumentHelp(
            "Absolute position size: base units (e.g. BTC) for linear markets, contracts for inverse ones.",
            valueName: "qty"
        )
    )
    public var size: String

    @Option(
        help: ArgumentHelp(
            "Margin in settlement currency: the isolated margin, or the cross wallet balance.",
            valueName: "amount"
        )
    )
    public var wallet: String?

    @Option(
        help: ArgumentHelp(
            "Leverage (e.g. 10); the margin is then entry notional ÷ leverage. Use instead of --wallet.",
            valueName: "L"
        )
    )
    public var leverage: String?

    @Option(
        help: ArgumentHelp(
            "Market symbol (e.g. BTCUSDT, BTC-USD, XBTUSD) or asset (BTC, ETH); default: the venue's BTC market.",
            valueName: "symbol"
        )
    )
    public var market: String?

    @Option(
        help: ArgumentHelp(
            "Margin mode: isolated or cross (default: isolated; cross with --account).",
            valueName: "mode"
        )
    )
    public var mode: String?

    @Option(
        help: ArgumentHelp(
            "Maintenance margin rate to use instead of the tier table (a fraction: 0.005 = 0.5 %).",
            valueName: "rate"
        )
    )
    public var mmr: String?

    @Option(
        name: .customLong("mm-deduction"),
        help: ArgumentHelp("Maintenance deduction (Binance \"cum\"), in settlement currency.", valueName: "amount")
    )
    public var mmDeduction: String?

    @Option(
        name: .customLong("max-leverage"),
        help: ArgumentHelp(
            "Hyperliquid-style max leverage: maintenance rate = 1 / (2 × max leverage); also caps --leverage.",
            valueName: "L"
        )
    )
    public var maxLeverage: String?

    @Option(
        name: .customLong("taker-fee"),
        help: ArgumentHelp("Closing fee rate added to maintenance (OKX style; 0.0005 = 0.05 %).", valueName: "rate")
    )
    public var takerFee: String?

    @Option(
        help: ArgumentHelp(
            "Cross-margin account JSON file with the wallet and other open positions (schema above).",
            valueName: "file"
        )
    )
    public var account: String?

    @Flag(help: "Print one JSON object instead of a table.")
    public var json = false

    public init() {}

    public func run() throws {
        print(try report())
    }

    /// The command's output text (JSON or table) for the parsed options.
    ///
    /// - Throws: `ValidationError` naming the option and the value for bad input.
    public func report() throws -> String {
        let result = try evaluate()
        return json ? result.json() : result.table()
    }

    /// Parses, validates and solves.
    public func evaluate() throws -> LiqPriceResult {
        let profile: VenueProfile
        do {
            profile = try VenueProfile.named(venue)
        } catch {
            throw ValidationError(
                "--venue \"\(venue)\" is not known; valid: \(error.validNames.joined(separator: ", "))"
            )
        }
        guard let positionSide = PositionSide(rawValue: side.lowercased()) else {
            throw ValidationError("--side \"\(side)\" must be long or short")
        }
        let symbol = market ?? "BTC"
        let marketSpec: MarketSpec
        do {
            marketSpec = try MarketCatalog.market(venue: profile.id, symbol: symbol)
        } catch {
            throw ValidationError(
                "--market \"\(symbol)\" is not a \(profile.id.rawValue) market; valid: "
                    + error.validNames.joined(separator: ", ")
            )
        }
        let entryPrice: Price = try Self.decimal(entry, option: "--entry")
        guard entryPrice.isPositive else { throw ValidationError("--entry \"\(entry)\" must be positive") }
        let quantity: Quantity = try Self.decimal(size, option: "--size")
        guard quantity.isPositive else { throw ValidationError("--size \"\(size)\" must be positive") }

        var accountFile: AccountFile?
        if let account {
            do {
                accountFile = try AccountFile.load(path: account)
            } catch {
                throw ValidationError("--account: \(error.message)")
            }
        }
        let marginMode: MarginMode
        if let mode {
            guard let parsed = MarginMode(rawValue: mode.lowercased()) else {
                throw ValidationError("--mode \"\(mode)\" must be isolated or cross")
            }
            marginMode = parsed
        } else {
            marginMode = accountFile == nil ? .isolated : .cross
        }

        let margin: MarginSource
        var others: [CrossPosition] = []
        if let accountFile {
            guard wallet == nil, leverage == nil else {
                throw ValidationError("--account gives the wallet; do not also pass --wallet or --leverage")
            }
            guard marginMode == .cross else { throw ValidationError("--account requires --mode cross") }
            margin = .wallet(accountFile.wallet)
            do {
                others = try accountFile.crossPositions(venue: profile.id)
            } catch {
                throw ValidationError("--account: \(error.message)")
            }
        } else {
            switch (wallet, leverage) {
            case (let text?, nil):
                let amount: Money = try Self.decimal(text, option: "--wallet")
                guard !amount.isNegative else { throw ValidationError("--wallet \"\(text)\" must not be negative") }
                margin = .wallet(amount)
            case (nil, let text?):
                let value: Leverage = try Self.decimal(text, option: "--leverage")
                guard value.isPositive else { throw ValidationError("--leverage \"\(text)\" must be positive") }
                margin = .leverage(value)
            case (.some, .some):
                throw ValidationError("give either --wallet or --leverage, not both")
            case (nil, nil):
                throw ValidationError("give --wallet AMOUNT or --leverage L (or --account FILE.json)")
            }
        }

        let overrides = LiquidationOverrides(
            maintenanceMarginRate: try mmr.map { text throws in try Self.decimal(text, option: "--mmr") },
            maintenanceDeduction: try mmDeduction.map { text throws in try Self.decimal(text, option: "--mm-deduction")
            },
            maxLeverage: try maxLeverage.map { text throws in try Self.decimal(text, option: "--max-leverage") },
            takerFee: try takerFee.map { text throws in try Self.decimal(text, option: "--taker-fee") }
        )
        let input = LiquidationPriceInput(
            side: positionSide,
            entryPrice: entryPrice,
            size: quantity,
            margin: margin,
            mode: marginMode,
            otherPositions: others,
            overrides: overrides
        )
        let quote: LiquidationQuote
        do {
            quote = try profile.liquidationQuote(input, market: marketSpec)
        } catch {
            throw ValidationError(Self.optionNamed(error.message))
        }
        return LiqPriceResult(
            venue: profile.id.rawValue,
            market: marketSpec.symbol,
            kind: marketSpec.kind,
            side: positionSide,
            mode: marginMode,
            quote: quote
        )
    }

    /// Parses an exact decimal option, naming the option and the value on failure.
    static func decimal<Value: FixedPointNumber>(_ text: String, option: String) throws -> Value {
        do {
            return try Value(parsing: text, field: option)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Maps the core's field names onto the command's option names.
    static func optionNamed(_ message: String) -> String {
        let fields = [
            ("leverage ", "--leverage "), ("mmr ", "--mmr "), ("taker-fee ", "--taker-fee "),
            ("max-leverage ", "--max-leverage "), ("mm-deduction ", "--mm-deduction "),
        ]
        for (field, option) in fields where message.hasPrefix(field) {
            return option + message.dropFirst(field.count)
        }
        return message
    }
}
