import FulcrumCore

/// The compact binary form of an epoch's liabilities (the `proof_epochs.liabilities` column).
///
/// ```
/// u8   format version (1)
/// u64  account count n
/// n ×  u64 account id, i64 equity raw, i64 maintenance raw     (24 bytes each)
/// ```
///
/// Integers are little-endian; money is the raw `Int64` of ``Money`` (value × 10⁸). Accounts are in strictly
/// increasing id order, maintenance is never negative. 1,000,000 accounts take 24,000,009 bytes. A future format
/// bumps the version byte; version 1 stays readable.
public enum EpochLiabilityBlob {
    /// The version this build writes.
    public static let version: UInt8 = 1
    /// Bytes before the first account.
    public static let headerSize = 9
    /// Bytes per account.
    public static let recordSize = 24

    /// Encodes `liabilities` for epoch `epoch`.
    ///
    /// - Throws: ``StoreError`` `invalidArgument` naming the epoch, the index and the value when ids are not
    ///   strictly increasing or a maintenance margin is negative.
    public static func encode(_ liabilities: [EpochLiability], epoch: Int64) throws(StoreError) -> [UInt8] {
        for index in liabilities.indices {
            let record = liabilities[index]
            if index > 0, record.account <= liabilities[index - 1].account {
                throw StoreError(
                    .invalidArgument,
                    "proof epoch \(epoch): liabilities[\(index)].account \(record.account) does not increase"
                        + " (previous \(liabilities[index - 1].account))"
                )
            }
            guard !record.maintenanceMargin.isNegative else {
                throw StoreError(
                    .invalidArgument,
                    "proof epoch \(epoch): liabilities[\(index)].maintenanceMargin \(record.maintenanceMargin)"
                        + " is negative"
                )
            }
        }
        var bytes = [UInt8](repeating: 0, count: headerSize + recordSize * liabilities.count)
        bytes.withUnsafeMutableBytes { raw in
            raw[0] = version
            raw.storeBytes(of: UInt64(liabilities.count).littleEndian, toByteOffset: 1, as: UInt64.self)
            var offset = headerSize
            for record in liabilities {
                raw.storeBytes(of: record.account.littleEndian, toByteOffset: offset, as: UInt64.self)
                raw.storeBytes(of: record.equity.raw.littleEndian, toByteOffset: offset + 8, as: Int64.self)
                raw.storeBytes(
                    of: record.maintenanceMargin.raw.littleEndian,
                    toByteOffset: offset + 16,
                    as: Int64.self
                )
                offset += recordSize
            }
        }
        return bytes
    }

    /// Decodes a stored blob of epoch `epoch`, checking everything the encoder guarantees.
    ///
    /// - Throws: ``StoreError`` `corruptRecord` naming the epoch and what is wrong (length, version, count,
    ///   order, a negative maintenance); never traps, whatever the bytes.
    public static func decode(_ bytes: [UInt8], epoch: Int64) throws(StoreError) -> [EpochLiability] {
        func corrupt(_ message: String) -> StoreError {
            StoreError(.corruptRecord, "proof epoch \(epoch): liabilities blob \(message)")
        }
        guard bytes.count >= headerSize else {
            throw corrupt("has \(bytes.count) bytes, shorter than its \(headerSize)-byte header")
        }
        guard bytes[0] == version else {
            throw corrupt("has format version \(bytes[0]), this build reads version \(version)")
        }
        let result: Result<[EpochLiability], StoreError> = bytes.withUnsafeBytes { raw in
            let count = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
            let available = UInt64(raw.count - headerSize)
            // Checked against the bytes present before anything is allocated: a corrupt count cannot ask for
            // gigabytes.
            guard count <= available / UInt64(recordSize), count * UInt64(recordSize) == available else {
                return .failure(
                    corrupt(
                        "declares \(count) accounts but holds \(raw.count) bytes"
                            + " (expected \(headerSize) + \(recordSize) × count)"
                    )
                )
            }
            var liabilities: [EpochLiability] = []
            liabilities.reserveCapacity(Int(count))
            var offset = headerSize
            var previous: UInt64?
            for index in 0..<Int(count) {
                let account = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                let equity = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: Int64.self))
                let maintenance = Int64(
                    littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: Int64.self)
                )
                if let previous, account <= previous {
                    return .failure(
                        corrupt("account[\(index)] id \(account) does not increase (previous \(previous))")
                    )
                }
                guard maintenance >= 0 else {
                    return .failure(
                        corrupt("account[\(index)] (id \(account)) has negative maintenance \(maintenance)")
                    )
                }
                liabilities.append(
                    EpochLiability(
                        account: account,
                        equity: Money(raw: equity),
                        maintenanceMargin: Money(raw: maintenance)
                    )
                )
                previous = account
                offset += recordSize
            }
            return .success(liabilities)
        }
        return try result.get()
    }
}
