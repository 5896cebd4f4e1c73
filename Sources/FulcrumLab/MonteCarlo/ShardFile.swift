import FulcrumCore

/// The exact text format of a shard's per-path metrics (`fulcrum stress --shard I/N` writes it, `fulcrum merge`
/// reads any number of them and summarises as if one machine had run every path).
///
/// Line 1: `fulcrum-shard 1`; line 2: tab-separated `key=value` metadata (`paths`, `accounts`, `seed`, `shard`,
/// `scenario` fingerprint); then one tab-separated line per path (field 22: the lending markets, possibly empty; fields 23-24 in multi-venue
/// runs only: the linked venues and the cross-venue record). Money is raw 10⁻⁸ integers, ratios are Double
/// shortest round-trip text, so reading a shard back gives bit-identical metrics.
public enum ShardFile {
    /// Metadata of a shard.
    public struct Header: Sendable, Hashable {
        /// Total paths of the full run.
        public var paths: Int
        /// Accounts in the population.
        public var accounts: Int
        /// The seed.
        public var seed: UInt64
        /// This shard's index.
        public var shardIndex: Int
        /// Number of shards.
        public var shardCount: Int
        /// Fingerprint of the scenario (FNV-1a of its description).
        public var scenario: String

        /// Creates a header.
        public init(paths: Int, accounts: Int, seed: UInt64, shardIndex: Int, shardCount: Int, scenario: String) {
            self.paths = paths
            self.accounts = accounts
            self.seed = seed
            self.shardIndex = shardIndex
            self.shardCount = shardCount
            self.scenario = scenario
        }
    }

    /// FNV-1a 64-bit fingerprint of a scenario's full description (same scenario ⇒ same text ⇒ same fingerprint).
    public static func fingerprint(_ scenario: Scenario) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in String(describing: scenario).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3  // FNV prime; wrapping is the algorithm
        }
        return String(hash, radix: 16)
    }

    /// Encodes a shard.
    public static func encode(header: Header, metrics: [PathMetrics]) -> String {
        var out = "fulcrum-shard 1\n"
        out += "paths=\(header.paths)\taccounts=\(header.accounts)\tseed=\(header.seed)\t"
        out += "shard=\(header.shardIndex)/\(header.shardCount)\tscenario=\(header.scenario)\n"
        for m in metrics.sorted(by: { $0.path < $1.path }) {
            var fields = baseFields(m)
            // Lending layer: `badDebt:liquidations:contagion` raw per market, `;`-separated (empty: none).
            fields.append(
                m.lending.map { "\($0.badDebt.raw):\($0.liquidations):\($0.contagionShared.raw)" }
                    .joined(separator: ";")
            )
            if let cross = m.crossVenue {
                // Multi-venue runs only (fields 23-24): each linked venue's 21 fields `,`-separated, venues
                // `;`-separated; then `volume:notional:steps:maxBasis:maxBasisStep`.
                fields.append(m.linkedVenues.map { baseFields($0).joined(separator: ",") }.joined(separator: ";"))
                fields.append(
                    "\(cross.arbitrageVolume):\(cross.arbitrageNotional.raw):\(cross.arbitrageSteps):"
                        + "\(cross.maxBasis):\(cross.maxBasisStep)"
                )
            }
            out += fields.joined(separator: "\t") + "\n"
        }
        return out
    }

    /// The 21 fields every path line starts with (a linked venue's record uses the same fields).
    static func baseFields(_ m: PathMetrics) -> [String] {
        [
            "\(m.path)", "\(m.exogenousMove)", "\(m.totalMove)", "\(m.amplification)", "\(m.liquidations)",
            "\(m.liquidatedAccounts)", "\(m.liquidatedNotional.raw)", "\(m.worstSlippage)", "\(m.badDebt.raw)",
            "\(m.socializedLoss.raw)", "\(m.insuranceStart.raw)", "\(m.insuranceMinimum.raw)",
            "\(m.insuranceEnd.raw)",
            m.insuranceDepleted ? "1" : "0", "\(m.adlNotional.raw)", "\(m.adlAccounts)", "\(m.quiescenceSteps)",
            "\(m.invalidOracleSteps)", "\(m.heldOnInvalidOracle)", "\(m.hunterAttacks)", "\(m.deleveragedAgents)",
        ]
    }

    /// Reads the 21 base fields of `f` (error messages name `place`, e.g. `line 5`).
    static func decodeBase(_ f: [String], place: String) throws(LabError) -> PathMetrics {
        func int(_ k: Int) throws(LabError) -> Int {
            guard let v = Int(f[k]) else {
                throw LabError("shard: \(place) field \(k + 1) \"\(f[k])\" is not an integer")
            }
            return v
        }
        func double(_ k: Int) throws(LabError) -> Double {
            guard let v = Double(f[k]) else {
                throw LabError("shard: \(place) field \(k + 1) \"\(f[k])\" is not a number")
            }
            return v
        }
        func wide(_ k: Int) throws(LabError) -> Int128 {
            guard let v = Int128(f[k]) else {
                throw LabError("shard: \(place) field \(k + 1) \"\(f[k])\" is not an integer")
            }
            return v
        }
        func money(_ k: Int) throws(LabError) -> Money {
            guard let v = Int64(f[k]) else {
                throw LabError("shard: \(place) field \(k + 1) \"\(f[k])\" is not money")
            }
            return Money(raw: v)
        }
        var m = PathMetrics(path: try int(0), insurance: try money(10))
        m.exogenousMove = try double(1)
        m.totalMove = try double(2)
        m.amplification = try double(3)
        m.liquidations = try int(4)
        m.liquidatedAccounts = try int(5)
        m.liquidatedNotional = MoneySum(raw: try wide(6))
        m.worstSlippage = try double(7)
        m.badDebt = MoneySum(raw: try wide(8))
        m.socializedLoss = MoneySum(raw: try wide(9))
        m.insuranceMinimum = try money(11)
        m.insuranceEnd = try money(12)
        m.insuranceDepleted = f[13] == "1"
        m.adlNotional = MoneySum(raw: try wide(14))
        m.adlAccounts = try int(15)
        m.quiescenceSteps = try int(16)
        m.invalidOracleSteps = try int(17)
        m.heldOnInvalidOracle = try int(18)
        m.hunterAttacks = try int(19)
        m.deleveragedAgents = try int(20)
        return m
    }

    /// Decodes a shard.
    ///
    /// - Throws: ``LabError`` naming the line and field that does not parse.
    public static func decode(_ text: String) throws(LabError) -> (header: Header, metrics: [PathMetrics]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count >= 2, lines[0] == "fulcrum-shard 1" else {
            throw LabError("shard: missing 'fulcrum-shard 1' header")
        }
        var meta: [String: String] = [:]
        for pair in lines[1].split(separator: "\t") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { meta[String(kv[0])] = String(kv[1]) }
        }
        let shardParts = (meta["shard"] ?? "").split(separator: "/")
        guard let paths = meta["paths"].flatMap({ Int($0) }), let accounts = meta["accounts"].flatMap({ Int($0) }),
            let seed = meta["seed"].flatMap({ UInt64($0) }), shardParts.count == 2, let si = Int(shardParts[0]),
            let sn = Int(shardParts[1]), let scenario = meta["scenario"]
        else { throw LabError("shard: metadata line \"\(lines[1])\" is incomplete") }
        let header = Header(
            paths: paths,
            accounts: accounts,
            seed: seed,
            shardIndex: si,
            shardCount: sn,
            scenario: scenario
        )
        var metrics: [PathMetrics] = []
        for (n, line) in lines.dropFirst(2).enumerated() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 21 || f.count == 22 || f.count == 24 else {
                throw LabError("shard: line \(n + 3) has \(f.count) fields, expected 21, 22 or 24")
            }
            var m = try decodeBase(f, place: "line \(n + 3)")
            if f.count >= 22 && !f[21].isEmpty {
                for cell in f[21].split(separator: ";") {
                    let parts = cell.split(separator: ":")
                    guard parts.count == 3, let bad = Int128(parts[0]), let liqs = Int(parts[1]),
                        let contagion = Int128(parts[2])
                    else { throw LabError("shard: line \(n + 3) field 22 lending market \"\(cell)\" does not parse") }
                    m.lending.append(
                        LendingPathMetrics(
                            badDebt: MoneySum(raw: bad),
                            liquidations: liqs,
                            contagionShared: MoneySum(raw: contagion)
                        )
                    )
                }
            }
            if f.count == 24 {
                for (k, cell) in f[22].split(separator: ";", omittingEmptySubsequences: false).enumerated()
                where !f[22].isEmpty {
                    let venue = cell.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    guard venue.count == 21 else {
                        throw LabError(
                            "shard: line \(n + 3) field 23 venue \(k) has \(venue.count) values, expected 21"
                        )
                    }
                    m.linkedVenues.append(try decodeBase(venue, place: "line \(n + 3) field 23 venue \(k)"))
                }
                let parts = f[23].split(separator: ":").map(String.init)
                guard parts.count == 5, let volume = Int128(parts[0]), let notional = Int128(parts[1]),
                    let steps = Int(parts[2]), let basis = Double(parts[3]), let basisStep = Int(parts[4])
                else { throw LabError("shard: line \(n + 3) field 24 cross-venue record \"\(f[23])\" does not parse") }
                var cross = CrossVenueMetrics()
                cross.arbitrageVolume = volume
                cross.arbitrageNotional = MoneySum(raw: notional)
                cross.arbitrageSteps = steps
                cross.maxBasis = basis
                cross.maxBasisStep = basisStep
                m.crossVenue = cross
            }
            metrics.append(m)
        }
        return (header, metrics)
    }

    /// Merges decoded shards into the full run's per-path metrics.
    ///
    /// - Throws: ``LabError`` when shards disagree on the run (paths, accounts, seed, shard count, scenario), a
    ///   path appears twice, or paths are missing.
    public static func merge(
        _ shards: [(header: Header, metrics: [PathMetrics])]
    ) throws(LabError) -> (Header, [PathMetrics]) {
        guard let first = shards.first else { throw LabError("merge: no shard files") }
        var all: [PathMetrics] = []
        var seen = Set<Int>()
        for s in shards {
            let h = s.header
            guard h.paths == first.header.paths, h.accounts == first.header.accounts, h.seed == first.header.seed,
                h.shardCount == first.header.shardCount, h.scenario == first.header.scenario
            else { throw LabError("merge: shard \(h.shardIndex)/\(h.shardCount) belongs to a different run") }
            for m in s.metrics {
                guard seen.insert(m.path).inserted else { throw LabError("merge: path \(m.path) appears twice") }
                all.append(m)
            }
        }
        guard all.count == first.header.paths else {
            throw LabError("merge: \(all.count) of \(first.header.paths) paths present (missing shards?)")
        }
        return (first.header, all.sorted { $0.path < $1.path })
    }
}
