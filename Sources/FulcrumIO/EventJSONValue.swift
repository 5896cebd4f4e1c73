/// A parsed JSON value from one event line. Numbers keep their text so decimals are parsed exactly
/// (never through `Double`).
public enum EventJSONValue: Sendable, Hashable {
    case string(String)
    /// A JSON number, as written.
    case number(String)
    case bool(Bool)
    case null
    case array([EventJSONValue])
    /// Members in file order.
    case object([(String, EventJSONValue)])

    public static func == (lhs: EventJSONValue, rhs: EventJSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)), (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let s), .number(let s): hasher.combine(s)
        case .bool(let b): hasher.combine(b)
        case .null: hasher.combine(0)
        case .array(let a): hasher.combine(a)
        case .object(let o):
            for (key, value) in o {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// The member `key` of an object, if present.
    public subscript(key: String) -> EventJSONValue? {
        guard case .object(let members) = self else { return nil }
        for (name, value) in members where name == key { return value }
        return nil
    }

    /// Parses one complete JSON value from `bytes` (surrounding whitespace allowed).
    ///
    /// - Throws: ``EventJSONSyntaxError`` with the byte offset.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(EventJSONSyntaxError) -> EventJSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.fail("unexpected text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        func fail(_ message: String) -> EventJSONSyntaxError { EventJSONSyntaxError(offset: index, message: message) }

        mutating func skipSpace() {
            while index < bytes.count {
                let c = bytes[index]
                guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
                index += 1
            }
        }

        mutating func value(depth: Int) throws(EventJSONSyntaxError) -> EventJSONValue {
            guard depth < 16 else { throw fail("nesting deeper than 16") }
            guard index < bytes.count else { throw fail("unexpected end of line") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return .number(try number())
            }
        }

        mutating func literal(
            _ word: StaticString,
            _ result: EventJSONValue
        ) throws(EventJSONSyntaxError) -> EventJSONValue {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw fail("invalid literal") }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw fail("invalid literal")
            }
            index += count
            return result
        }

        mutating func number() throws(EventJSONSyntaxError) -> String {
            let start = index
            while index < bytes.count {
                let c = bytes[index]
                let isNumberByte =
                    (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                    || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                guard isNumberByte else { break }
                index += 1
            }
            guard index > start else { throw fail("unexpected character") }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        mutating func string() throws(EventJSONSyntaxError) -> String {
            index += 1  // opening quote
            let start = index
            var plain = true
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") {
                    let text: String
                    if plain {
                        text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    } else {
                        text = try unescape(start, index)
                    }
                    index += 1
                    return text
                }
                if c == UInt8(ascii: "\\") {
                    plain = false
                    index += 1
                } else if c < 0x20 {
                    throw fail("control character in string")
                }
                index += 1
            }
            throw fail("unterminated string")
        }

        func unescape(_ start: Int, _ end: Int) throws(EventJSONSyntaxError) -> String {
            var out: [UInt8] = []
            var i = start
            while i < end {
                let c = bytes[i]
                guard c == UInt8(ascii: "\\") else {
                    out.append(c)
                    i += 1
                    continue
                }
                i += 1
                guard i < end else { throw fail("bad escape") }
                switch bytes[i] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 < end,
                        let code = UInt32(
                            String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)...(i + 4)]), as: UTF8.self),
                            radix: 16
                        ),
                        let scalar = Unicode.Scalar(code)
                    else { throw fail("bad \\u escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i += 4
                default: throw fail("bad escape")
                }
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func array(depth: Int) throws(EventJSONSyntaxError) -> EventJSONValue {
            index += 1
            var items: [EventJSONValue] = []
            skipSpace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw fail("unterminated array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected , or ]") }
                index += 1
                return .array(items)
            }
        }

        mutating func object(depth: Int) throws(EventJSONSyntaxError) -> EventJSONValue {
            index += 1
            var members: [(String, EventJSONValue)] = []
            skipSpace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected :") }
                index += 1
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard index < bytes.count else { throw fail("unterminated object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected , or }") }
                index += 1
                return .object(members)
            }
        }
    }
}

/// A JSON syntax error at a byte offset of a line.
public struct EventJSONSyntaxError: Error, Hashable, Sendable {
    /// Byte offset in the line.
    public var offset: Int
    /// What is wrong.
    public var message: String
}
