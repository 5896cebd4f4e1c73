/// A PostgreSQL connection URL, `postgres://user[:password]@host[:port][/database][?sslmode=…]`, parsed by hand
/// so every error names the field and the value.
///
/// `postgresql://` is accepted too. User, password and database may be percent-encoded. The port defaults to
/// 5432 and the database to the user name (as libpq does). TLS is not supported by this build: `sslmode`
/// `disable`, `allow` and `prefer` connect without TLS; `require`, `verify-ca` and `verify-full` are rejected.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// The role to log in as.
    public var user: String
    /// The password, if the URL has one.
    public var password: String?
    /// Host name or IP address (an IPv6 address without its brackets).
    public var host: String
    /// TCP port.
    public var port: Int
    /// Database name.
    public var database: String

    /// Parses `text`.
    ///
    /// - Throws: ``StoreError`` `invalidArgument` naming the field (scheme, user, host, port, database, query
    ///   parameter) and its value; `unsupported` for `sslmode=require` and stronger.
    public init(_ text: String) throws(StoreError) {
        let schemes = ["postgres://", "postgresql://"]
        guard let scheme = schemes.first(where: { text.hasPrefix($0) }) else {
            throw StoreError(
                .invalidArgument,
                "database URL scheme of \"\(Self.redacted(text))\" must be postgres:// or postgresql://"
            )
        }
        var rest = Substring(text.dropFirst(scheme.count))
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw StoreError(.invalidArgument, "database URL user is missing: expected postgres://user@host/db")
        }
        let userInfo = rest[..<at]
        let hostPort = rest[rest.index(after: at)...]
        if let colon = userInfo.firstIndex(of: ":") {
            user = try Self.decode(userInfo[..<colon], field: "user")
            password = try Self.decode(userInfo[userInfo.index(after: colon)...], field: "password")
        } else {
            user = try Self.decode(userInfo, field: "user")
            password = nil
        }
        guard !user.isEmpty else {
            throw StoreError(.invalidArgument, "database URL user is empty: expected postgres://user@host/db")
        }
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw StoreError(.invalidArgument, "database URL host \"\(hostPort)\" has no closing ]")
            }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw StoreError(.invalidArgument, "database URL host \"\(hostPort)\" has junk after ]")
                }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.firstIndex(of: ":") {
            host = String(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = String(hostPort)
        }
        guard !host.isEmpty else { throw StoreError(.invalidArgument, "database URL host is empty") }
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw StoreError(.invalidArgument, "database URL port \"\(portText)\" is not a number in 1…65535")
            }
            port = value
        } else {
            port = 5432
        }
        let name = try Self.decode(path, field: "database")
        guard !name.contains("/") else {
            throw StoreError(.invalidArgument, "database URL database \"\(name)\" must not contain /")
        }
        database = name.isEmpty ? user : name
        for parameter in query.split(separator: "&") where !parameter.isEmpty {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            switch key {
            case "sslmode":
                switch value {
                case "disable", "allow", "prefer": break
                case "require", "verify-ca", "verify-full":
                    throw StoreError(
                        .unsupported,
                        "database URL sslmode=\(value) is not supported: this build connects to PostgreSQL without"
                            + " TLS (use sslmode=disable, or a local socket / TLS-terminating proxy)"
                    )
                default:
                    throw StoreError(
                        .invalidArgument,
                        "database URL sslmode \"\(value)\" is not one of disable, allow, prefer, require, verify-ca,"
                            + " verify-full"
                    )
                }
            default:
                throw StoreError(
                    .invalidArgument,
                    "database URL query parameter \"\(key)\" is not supported (only sslmode)"
                )
            }
        }
    }

    /// The URL with the password replaced by `***` (for logs and errors).
    public var description: String {
        let secret = password == nil ? "" : ":***"
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)\(secret)@\(hostText):\(port)/\(database)"
    }

    /// `text` with any password hidden, for error messages about a URL that did not parse.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.firstRange(of: "://"), let at = text.lastIndex(of: "@"), scheme.upperBound < at,
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    /// Percent-decodes one URL component.
    private static func decode(_ text: Substring, field: String) throws(StoreError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else {
                throw StoreError(.invalidArgument, "database URL \(field) has a malformed %-escape")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw StoreError(.invalidArgument, "database URL \(field) is not valid UTF-8 after %-decoding")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
