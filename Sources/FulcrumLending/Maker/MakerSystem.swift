/// Maker's Vat + Jug + Dog + Clipper as one pure value: vaults, stability fees, `bark` and Dutch auctions.
///
/// Every action works on a copy and assigns it on success, so a reverted action leaves the system unchanged.
/// Sources: makerdao/dss `src/dog.sol` (`bark`), `src/clip.sol` (`kick`, `take`, `redo`, `status`), `src/jug.sol`
/// (`drip`), `src/abaci.sol`.
public struct MakerSystem: Sendable, Hashable {
    /// Collateral types by name.
    public internal(set) var ilks: [String: MakerIlk] = [:]
    /// Vaults by `"ilk/owner"`.
    public internal(set) var vaults: [String: MakerVault] = [:]
    /// Running auctions by id.
    public internal(set) var auctions: [Int: MakerAuction] = [:]
    /// Global limit on DAI in auctions (rad).
    public var globalHole: UInt256
    /// DAI in auctions (rad).
    public internal(set) var globalDirt: UInt256 = .zero
    /// Debt moved to the Vow by `bark` plus keeper rewards (`sin`, rad).
    public internal(set) var sin: UInt256 = .zero
    /// DAI raised by auctions (rad).
    public internal(set) var raised: UInt256 = .zero
    /// Keeper rewards paid (rad).
    public internal(set) var keeperRewards: UInt256 = .zero
    /// Tab left unpaid by auctions that ran out of collateral (rad).
    public internal(set) var badDebt: UInt256 = .zero
    /// The clock (seconds).
    public internal(set) var time: UInt64
    /// The next auction id.
    public internal(set) var nextAuctionId = 1

    /// An empty system with global auction limit `globalHole` (rad).
    public init(globalHole: UInt256, time: UInt64 = 0) {
        self.globalHole = globalHole
        self.time = time
    }

    static func key(_ ilk: String, _ owner: String) -> String { ilk + "/" + owner }

    /// Adds a collateral type.
    public mutating func addIlk(_ ilk: MakerIlk) throws {
        guard ilks[ilk.name] == nil else { throw LendingError("IlkExists", "ilk \(ilk.name) already exists") }
        ilks[ilk.name] = ilk
    }

    /// Sets an ilk's oracle price (wad).
    public mutating func setPrice(ilk: String, price: UInt128) throws {
        guard ilks[ilk] != nil else { throw LendingError("UnknownIlk", "ilk \(ilk) does not exist") }
        ilks[ilk]?.price = price
    }

    /// A vault (empty when absent).
    public func vault(ilk: String, owner: String) -> MakerVault { vaults[Self.key(ilk, owner)] ?? MakerVault() }

    /// Debt owed by a vault: `art · rate` (rad).
    public func debt(ilk: String, owner: String) throws -> UInt256 {
        guard let i = ilks[ilk] else { throw LendingError("UnknownIlk", "ilk \(ilk) does not exist") }
        return UInt256.product(vault(ilk: ilk, owner: owner).art, i.rate)
    }

    /// `ink · spot < art · rate`.
    public func isUnsafe(ilk: String, owner: String) throws -> Bool {
        guard let i = ilks[ilk] else { throw LendingError("UnknownIlk", "ilk \(ilk) does not exist") }
        let v = vault(ilk: ilk, owner: owner)
        return UInt256.product(v.ink, try i.spot) < UInt256.product(v.art, i.rate)
    }

    /// `Jug.drip` for every ilk: `rate ← rate ⊗ rpow(duty, Δt)` (rpow half-up, rmul floor); moves the clock.
    public mutating func accrue(to newTime: UInt64) throws {
        guard newTime >= time else { throw LendingError("TimeGoesBackwards", "time \(newTime) < clock \(time)") }
        try atomically(touchingVaults: []) { copy in
            let dt = newTime - copy.time
            for name in copy.ilks.keys.sorted() {
                guard var i = copy.ilks[name] else { continue }
                let growth = try WadRayMath.rpow(i.duty, dt)
                i.rate = try WideMath.mulDiv(growth, i.rate, WadRayMath.ray, rounding: .floor, field: "rate")
                copy.ilks[name] = i
            }
            copy.time = newTime
        }
    }

    /// Runs `body`; if it throws, restores the ilks, auctions, counters, clock and the touched vaults.
    ///
    /// O(touched vaults + ilks + running auctions) instead of copying every vault.
    mutating func atomically<T>(touchingVaults keys: [String], _ body: (inout MakerSystem) throws -> T) throws -> T {
        let state = (ilks, auctions, globalDirt, sin, raised, keeperRewards, badDebt, time, nextAuctionId)
        let entries = keys.map { ($0, vaults[$0]) }
        do {
            return try body(&self)
        } catch {
            (ilks, auctions, globalDirt, sin, raised, keeperRewards, badDebt, time, nextAuctionId) = state
            for (key, vault) in entries { vaults[key] = vault }
            throw error
        }
    }

    /// Locks `ink` collateral (wad) in a vault.
    public mutating func lock(ilk: String, owner: String, ink: UInt128) throws {
        guard ilks[ilk] != nil else { throw LendingError("UnknownIlk", "ilk \(ilk) does not exist") }
        var v = vault(ilk: ilk, owner: owner)
        v.ink = try WideMath.add(v.ink, ink, field: "ink")
        vaults[Self.key(ilk, owner)] = v
    }

    /// Frees `ink` collateral; the vault must stay safe (`Vat/not-safe`).
    public mutating func free(ilk: String, owner: String, ink: UInt128) throws {
        try atomically(touchingVaults: [Self.key(ilk, owner)]) { copy in
            var v = copy.vault(ilk: ilk, owner: owner)
            guard ink <= v.ink else { throw LendingError("Vat/not-safe", "free \(ink) exceeds ink \(v.ink)") }
            v.ink -= ink
            copy.vaults[Self.key(ilk, owner)] = v
            guard try !copy.isUnsafe(ilk: ilk, owner: owner) else {
                throw LendingError("Vat/not-safe", "free \(ink) leaves \(owner) unsafe")
            }
        }
    }

    /// Draws `wad` DAI: `dart = ⌈wad·RAY / rate⌉` (rounded up against the borrower, as `DssProxyActions`).
    ///
    /// Rejects `Vat/not-safe` and `Vat/dust` (debt below `dust`).
    public mutating func draw(ilk name: String, owner: String, wad: UInt128) throws {
        try atomically(touchingVaults: [Self.key(name, owner)]) { copy in
            guard var i = copy.ilks[name] else { throw LendingError("UnknownIlk", "ilk \(name) does not exist") }
            var v = copy.vault(ilk: name, owner: owner)
            let dart = try WideMath.mulDiv(wad, WadRayMath.ray, i.rate, rounding: .ceil, field: "dart")
            v.art = try WideMath.add(v.art, dart, field: "art")
            i.totalArt = try WideMath.add(i.totalArt, dart, field: "Art")
            copy.ilks[name] = i
            copy.vaults[Self.key(name, owner)] = v
            guard try !copy.isUnsafe(ilk: name, owner: owner) else {
                throw LendingError("Vat/not-safe", "draw \(wad) leaves \(owner) unsafe")
            }
            guard UInt256.product(v.art, i.rate) >= i.dust else {
                throw LendingError("Vat/dust", "vault debt below dust \(i.dust)")
            }
        }
    }

    /// Wipes up to `wad` DAI: `dart = ⌊wad·RAY / rate⌋` capped at `art`; leaving debt below `dust` is rejected.
    @discardableResult
    public mutating func wipe(ilk name: String, owner: String, wad: UInt128?) throws -> UInt128 {
        return try atomically(touchingVaults: [Self.key(name, owner)]) { copy in
            guard var i = copy.ilks[name] else { throw LendingError("UnknownIlk", "ilk \(name) does not exist") }
            var v = copy.vault(ilk: name, owner: owner)
            guard v.art > 0 else { throw LendingError("NothingToWipe", "\(owner) has no \(name) debt") }
            let dart =
                wad.map { (try? WideMath.mulDiv($0, WadRayMath.ray, i.rate, rounding: .floor)) ?? v.art } ?? v.art
            let burned = min(dart, v.art)
            v.art -= burned
            i.totalArt = WideMath.zeroFloorSub(i.totalArt, burned)
            guard v.art == 0 || UInt256.product(v.art, i.rate) >= i.dust else {
                throw LendingError("Vat/dust", "wipe leaves \(owner)'s debt below dust")
            }
            copy.ilks[name] = i
            copy.vaults[Self.key(name, owner)] = v
            return burned
        }
    }

    /// `Dog.bark` then `Clipper.kick`: liquidates an unsafe vault into a Dutch auction; returns the auction.
    ///
    /// `dart = min(art, room·WAD / rate / chop)` (floors); a remainder below `dust` takes the whole vault; `dink =
    /// ink·dart/art` (floor); `tab = dart·rate·chop / WAD`; keeper reward `tip + tab·chip/WAD` paid from the Vow;
    /// `top = price·10⁹ ⊗ buf`.
    @discardableResult
    public mutating func bark(ilk name: String, owner: String, keeper: String) throws -> MakerAuction {
        return try atomically(touchingVaults: [Self.key(name, owner)]) { copy in
            guard var i = copy.ilks[name] else { throw LendingError("UnknownIlk", "ilk \(name) does not exist") }
            var v = copy.vault(ilk: name, owner: owner)
            guard v.art > 0, try copy.isUnsafe(ilk: name, owner: owner) else {
                throw LendingError("Dog/not-unsafe", "vault \(owner) in \(name) is safe")
            }
            guard copy.globalHole > copy.globalDirt, i.hole > i.dirt else {
                throw LendingError("Dog/liquidation-limit-hit", "auction limits reached (globalHole/hole)")
            }
            let room = min(try copy.globalHole.subtracting(copy.globalDirt), try i.hole.subtracting(i.dirt))
            guard room >= i.dust else { throw LendingError("Dog/liquidation-limit-hit", "room below dust") }
            let byRoom = try room.multiplied(by: WadRayMath.wad).divided(by: i.rate, rounding: .floor)
                .divided(by: i.chop, rounding: .floor)
            var dart = byRoom < UInt256(v.art) ? byRoom.low : v.art
            if v.art > dart {
                if UInt256.product(v.art - dart, i.rate) < i.dust {
                    dart = v.art  // never leave a dusty vault
                } else {
                    guard UInt256.product(dart, i.rate) >= i.dust else {
                        throw LendingError(
                            "Dog/dusty-auction-from-partial-liquidation",
                            "partial dart \(dart) below dust"
                        )
                    }
                }
            }
            let dink = try WideMath.mulDiv(v.ink, dart, v.art, rounding: .floor, field: "dink")
            guard dink > 0 else { throw LendingError("Dog/null-auction", "dink is 0") }
            v.ink -= dink  // dink ≤ ink since dart ≤ art
            v.art -= dart
            i.totalArt = WideMath.zeroFloorSub(i.totalArt, dart)
            let due = UInt256.product(dart, i.rate)
            copy.sin = try copy.sin.adding(due)
            let tab = try due.multiplied(by: i.chop).divided(by: WadRayMath.wad, rounding: .floor)
            copy.globalDirt = try copy.globalDirt.adding(tab)
            i.dirt = try i.dirt.adding(tab)
            let feed = try WideMath.mulDiv(i.price, 1_000_000_000, 1, rounding: .floor, field: "feedPrice")
            let top = try WideMath.mulDiv(feed, i.buf, WadRayMath.ray, rounding: .floor, field: "top")
            guard top > 0 else { throw LendingError("Clipper/zero-top-price", "top price is 0") }
            let coin = try i.tip.adding(try tab.multiplied(by: i.chip).divided(by: WadRayMath.wad, rounding: .floor))
            copy.keeperRewards = try copy.keeperRewards.adding(coin)
            copy.sin = try copy.sin.adding(coin)
            let auction = MakerAuction(
                id: copy.nextAuctionId,
                ilk: name,
                tab: tab,
                lot: dink,
                usr: owner,
                tic: copy.time,
                top: top
            )
            copy.auctions[auction.id] = auction
            copy.nextAuctionId += 1
            copy.ilks[name] = i
            copy.vaults[Self.key(name, owner)] = v
            return auction
        }
    }

    /// `Clipper.status`: current price and whether the auction needs a reset (`tail` elapsed or price/top < cusp).
    public func status(_ id: Int) throws -> (price: UInt128, needsRedo: Bool) {
        guard let a = auctions[id], let i = ilks[a.ilk] else {
            throw LendingError("Clipper/not-running-auction", "auction \(id) is not running")
        }
        let elapsed = time - a.tic  // tic ≤ time: auctions start at the clock
        let price = try i.calc.price(top: a.top, elapsed: elapsed)
        let ratio = try WideMath.mulDiv(price, WadRayMath.ray, a.top, rounding: .floor)
        return (price, elapsed > i.tail || ratio < i.cusp)
    }

    /// `Clipper.redo`: restarts a stale auction at the current price ⊗ buf; pays the keeper when the tab and lot are
    /// worth at least `chost`.
    public mutating func redo(_ id: Int, keeper: String) throws {
        try atomically(touchingVaults: []) { copy in
            let (_, stale) = try copy.status(id)
            guard stale, var a = copy.auctions[id], let i = copy.ilks[a.ilk] else {
                throw LendingError("Clipper/cannot-reset", "auction \(id) does not need a reset")
            }
            let feed = try WideMath.mulDiv(i.price, 1_000_000_000, 1, rounding: .floor, field: "feedPrice")
            a.top = try WideMath.mulDiv(feed, i.buf, WadRayMath.ray, rounding: .floor, field: "top")
            a.tic = copy.time
            let chost = try i.chost
            if a.tab >= chost, UInt256.product(a.lot, feed) >= chost {
                let coin = try i.tip.adding(
                    try a.tab.multiplied(by: i.chip).divided(by: WadRayMath.wad, rounding: .floor)
                )
                copy.keeperRewards = try copy.keeperRewards.adding(coin)
                copy.sin = try copy.sin.adding(coin)
            }
            copy.auctions[id] = a
        }
    }

    /// `Clipper.take`: buys up to `amount` collateral (wad) at the current price if it is ≤ `maxPrice` (ray).
    ///
    /// `slice = min(lot, amt)`, `owe = slice·price`; paying more than the tab buys only `tab/price` (floor); a purchase
    /// that would leave a tab below `chost` pays `tab − chost` instead.
    @discardableResult
    public mutating func take(_ id: Int, amount: UInt128, maxPrice: UInt128) throws -> MakerTake {
        return try atomically(touchingVaults: auctions[id].map { [Self.key($0.ilk, $0.usr)] } ?? []) { copy in
            guard var a = copy.auctions[id], var i = copy.ilks[a.ilk] else {
                throw LendingError("Clipper/not-running-auction", "auction \(id) is not running")
            }
            let (price, stale) = try copy.status(id)
            guard !stale else { throw LendingError("Clipper/needs-reset", "auction \(id) needs redo") }
            guard maxPrice >= price else {
                throw LendingError("Clipper/too-expensive", "price \(price) exceeds max \(maxPrice)")
            }
            var slice = min(a.lot, amount)
            var owe = UInt256.product(slice, price)
            let chost = try i.chost
            if owe > a.tab {
                owe = a.tab
                slice = try owe.divided(by: price, rounding: .floor).narrowed(field: "slice")
            } else if owe < a.tab, slice < a.lot {
                if try a.tab.subtracting(owe) < chost {
                    guard a.tab > chost else { throw LendingError("Clipper/no-partial-purchase", "tab ≤ chost") }
                    owe = try a.tab.subtracting(chost)
                    slice = try owe.divided(by: price, rounding: .floor).narrowed(field: "slice")
                }
            }
            a.tab = try a.tab.subtracting(owe)
            a.lot -= slice  // slice ≤ lot
            copy.raised = try copy.raised.adding(owe)
            let digs = a.lot == 0 ? try a.tab.adding(owe) : owe
            copy.globalDirt = (try? copy.globalDirt.subtracting(digs)) ?? .zero
            i.dirt = (try? i.dirt.subtracting(digs)) ?? .zero
            var returned: UInt128 = 0
            var unpaid = UInt256.zero
            if a.lot == 0 {
                unpaid = a.tab
                copy.badDebt = try copy.badDebt.adding(a.tab)
                copy.auctions[id] = nil
            } else if a.tab == .zero {
                returned = a.lot
                var v = copy.vault(ilk: a.ilk, owner: a.usr)
                v.ink = try WideMath.add(v.ink, a.lot, field: "ink")
                copy.vaults[Self.key(a.ilk, a.usr)] = v
                copy.auctions[id] = nil
            } else {
                copy.auctions[id] = a
            }
            copy.ilks[a.ilk] = i
            return MakerTake(
                slice: slice,
                owe: owe,
                price: price,
                tabLeft: a.tab,
                lotLeft: a.lot,
                returnedToOwner: returned,
                badDebt: unpaid
            )
        }
    }
}
