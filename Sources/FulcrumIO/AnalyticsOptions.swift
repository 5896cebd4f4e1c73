public import FulcrumCore

/// Parsing of analytics command-line values into domain types; every error names the option and the value.
public enum AnalyticsOptions {
    /// An exact fixed-point decimal (`"0.0005"`, `"-12.5"`).
    public static func decimal<T: FixedPointNumber>(_ text: String, option: String) throws(AnalyticsInputError) -> T {
        do {
            return try T(parsing: text, field: option)
        } catch {
            throw AnalyticsInputError("\(option) \"\(text)\" is not a decimal with at most 8 decimals (\(error))")
        }
    }

    /// A finite `Double` (statistical parameters such as a volatility).
    public static func double(_ text: String, option: String) throws(AnalyticsInputError) -> Double {
        guard let value = Double(text), value.isFinite else {
            throw AnalyticsInputError("\(option) \"\(text)\" is not a number")
        }
        return value
    }

    /// `long` or `short`.
    public static func side(_ text: String, option: String = "--side") throws(AnalyticsInputError) -> PositionSide {
        guard let side = PositionSide(rawValue: text.lowercased()) else {
            throw AnalyticsInputError("\(option) \"\(text)\" must be long or short")
        }
        return side
    }

    /// A venue profile by name.
    public static func venue(_ text: String) throws(AnalyticsInputError) -> VenueProfile {
        do {
            return try VenueProfile.named(text)
        } catch {
            throw AnalyticsInputError(
                "--venue \"\(text)\" is not known; valid: \(error.validNames.joined(separator: ", "))"
            )
        }
    }

    /// A market of a venue by symbol or asset alias.
    public static func market(_ text: String, venue: VenueProfile) throws(AnalyticsInputError) -> MarketSpec {
        do {
            return try MarketCatalog.market(venue: venue.id, symbol: text)
        } catch {
            throw AnalyticsInputError(
                "--market \"\(text)\" is not a \(venue.id.rawValue) market; valid: \(error.validNames.joined(separator: ", "))"
            )
        }
    }

    /// A duration in hours: `"24h"`, `"7d"`, `"90m"`, `"1w"`, or a plain number of hours.
    public static func hours(_ text: String, option: String) throws(AnalyticsInputError) -> Double {
        let lower = text.lowercased()
        var number = Substring(lower)
        var factor = 1.0
        if let last = lower.last, last.isLetter {
            number = lower.dropLast()
            switch last {
            case "m": factor = 1.0 / 60
            case "h": factor = 1
            case "d": factor = 24
            case "w": factor = 168
            case "y": factor = 8_760
            default: throw AnalyticsInputError("\(option) \"\(text)\": unit must be m, h, d, w or y")
            }
        }
        guard let value = Double(number), value.isFinite, value > 0 else {
            throw AnalyticsInputError("\(option) \"\(text)\" must be a positive duration such as 24h, 7d or 90m")
        }
        return value * factor
    }
}
