/// A Maker collateral type (`ilk`) with its Dog and Clipper parameters.
///
/// Units: wad 10¹⁸, ray 10²⁷, rad 10⁴⁵ (``UInt256``). `spot = price / mat` (ray); a vault is unsafe iff
/// `ink · spot < art · rate`.
public struct MakerIlk: Sendable, Hashable {
    /// Name, e.g. `"ETH-A"`.
    public var name: String
    /// Accumulated stability-fee rate (ray), starts at 1.
    public var rate: UInt128 = WadRayMath.ray
    /// Per-second stability fee `base + duty` (ray, ≥ 1).
    public var duty: UInt128
    /// Liquidation ratio `mat` (ray, e.g. 1.5).
    public var mat: UInt128
    /// Oracle price of one collateral unit in DAI (wad).
    public var price: UInt128
    /// Liquidation penalty `chop` (wad, e.g. 1.13).
    public var chop: UInt128
    /// Per-ilk limit on DAI (incl. penalty) in auctions (rad).
    public var hole: UInt256
    /// DAI in auctions for this ilk (rad).
    public var dirt: UInt256 = .zero
    /// Minimum vault debt (rad).
    public var dust: UInt256
    /// Starting-price multiplier `buf` (ray).
    public var buf: UInt128
    /// Maximum auction age before reset (seconds).
    public var tail: UInt64
    /// Maximum price drop before reset (ray fraction of `top`).
    public var cusp: UInt128
    /// Keeper reward as a fraction of `tab` (wad).
    public var chip: UInt128
    /// Flat keeper reward (rad).
    public var tip: UInt256
    /// The auction price curve.
    public var calc: MakerAbacus
    /// Σ normalized debt of all vaults (wad).
    public var totalArt: UInt128 = 0

    /// Creates an ilk.
    public init(
        name: String,
        duty: UInt128,
        mat: UInt128,
        price: UInt128,
        chop: UInt128,
        hole: UInt256,
        dust: UInt256,
        buf: UInt128,
        tail: UInt64,
        cusp: UInt128,
        chip: UInt128,
        tip: UInt256,
        calc: MakerAbacus
    ) throws {
        guard duty >= WadRayMath.ray else { throw LendingError("InvalidDuty", "\(name) duty \(duty) is below 1 ray") }
        guard mat >= WadRayMath.ray else { throw LendingError("InvalidMat", "\(name) mat \(mat) is below 1 ray") }
        guard chop >= WadRayMath.wad else { throw LendingError("InvalidChop", "\(name) chop \(chop) is below 1 wad") }
        self.name = name
        self.duty = duty
        self.mat = mat
        self.price = price
        self.chop = chop
        self.hole = hole
        self.dust = dust
        self.buf = buf
        self.tail = tail
        self.cusp = cusp
        self.chip = chip
        self.tip = tip
        self.calc = calc
    }

    /// `spot = (price·10⁹ ⨸ par) ⨸ mat` with `par = 1` (ray, floor as `rdiv`): collateral value per unit at the limit.
    public var spot: UInt128 {
        get throws { try WideMath.mulDiv(price * 1_000_000_000, WadRayMath.ray, mat, rounding: .floor, field: "spot") }
    }

    /// `chost = dust · chop / WAD` (rad): the smallest tab an auction may leave.
    public var chost: UInt256 {
        get throws { try dust.multiplied(by: chop).divided(by: WadRayMath.wad, rounding: .floor) }
    }
}
