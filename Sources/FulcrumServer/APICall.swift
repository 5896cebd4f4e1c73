import Hummingbird

/// One authenticated request as the route handlers see it.
struct APICall: Sendable {
    /// The caller.
    var principal: Principal
    /// The request (head and URI).
    var request: Request
    /// The collected body (empty for GETs).
    var body: [UInt8]
    /// Route parameters.
    var parameters: Parameters
}
