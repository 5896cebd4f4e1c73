import FulcrumCore

/// A deterministic fingerprint of the whole state.
extension ClearingEngine {
    /// FNV-1a (64-bit) over a canonical little-endian serialization of the state: counts, each market (symbol
    /// bytes, tick, step, prices, funding index, open interest, the socialized-loss index once non-zero) in id order, each account's wallet and
    /// positions in id order, the insurance funds, the fee pool and the ledger totals. No dictionary is
    /// iterated, so the hash depends only on the state, never on hashing seeds or thread count.
    public var stateHash: UInt64 {
        var hasher = StateHasher()
        hasher.mix(UInt64(markets.count))
        hasher.mix(UInt64(balances.count))
        hasher.mix(eventCount)
        hasher.mix(UInt64(sweepPending ? 1 : 0))
        for market in 0..<markets.count {
            for byte in specs[market].symbol.utf8 { hasher.mixByte(byte) }
            hasher.mix(specs[market].tickSize.raw)
            hasher.mix(specs[market].stepSize.raw)
            let state = markets[market]
            hasher.mix(state.indexPrice.raw)
            hasher.mix(state.markPrice.raw)
            hasher.mix(state.fundingIndex.raw)
            hasher.mix(state.longOpenInterest.raw)
            hasher.mix(state.shortOpenInterest.raw)
            // Mixed only once non-zero, so a state that never socialized keeps the hash it had before the field.
            if state.socializedLossIndex.raw != 0 { hasher.mix(state.socializedLossIndex.raw) }
        }
        for balance in balances { hasher.mix(balance.raw) }
        for position in positions {
            hasher.mix(position.size.raw)
            hasher.mix(position.cost.raw)
            hasher.mix(position.isolatedMargin.raw)
            hasher.mix(position.fundingIndex.raw)
            hasher.mix(position.leverage.raw)
            hasher.mix(UInt64(position.mode == .cross ? 0 : 1))
        }
        for fund in insuranceFunds { hasher.mix(fund.raw) }
        hasher.mix(feePool.raw)
        for total in [totalDeposits, totalWithdrawals, socializedLoss, badDebt] {
            hasher.mix(UInt64(truncatingIfNeeded: total.raw))
            hasher.mix(UInt64(truncatingIfNeeded: total.raw >> 64))
        }
        return hasher.value
    }
}

/// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
struct StateHasher {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func mixByte(_ byte: UInt8) {
        value ^= UInt64(byte)
        value &*= 0x0000_0100_0000_01b3
    }

    mutating func mix(_ word: UInt64) {
        var w = word
        for _ in 0..<8 {
            mixByte(UInt8(truncatingIfNeeded: w))
            w >>= 8
        }
    }

    mutating func mix(_ word: Int64) { mix(UInt64(bitPattern: word)) }
}
