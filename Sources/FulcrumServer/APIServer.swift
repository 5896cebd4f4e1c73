import Crypto
import FulcrumCore
import FulcrumIO
import FulcrumStore
import HTTPTypes
import Hummingbird
import NIOCore

/// The HTTP API over an ``EngineService``: authentication, rate limiting, body limits, idempotency headers and
/// JSON errors, in one pipeline that every route goes through.
public struct APIServer: Sendable {
    /// Who may call a route.
    enum Access {
        /// No key (health, metrics, OpenAPI, the dashboard page).
        case open
        /// A key, unless the dashboard is public (then anonymous read-only).
        case dashboard
        /// A key.
        case key
    }

    /// The engine service.
    public let service: EngineService
    /// HTTP options.
    public let options: ServerOptions
    let authenticator: APIKeyAuthenticator
    let limiter: RateLimiter

    /// Creates the API.
    public init(
        service: EngineService,
        options: ServerOptions = ServerOptions(),
        rateLimit: Int64,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.service = service
        self.options = options
        authenticator = APIKeyAuthenticator(log: service.log)
        limiter = RateLimiter(rate: rateLimit, clock: clock)
    }

    /// Runs the pipeline: authenticate, rate-limit, collect the body (415/413), run `work`, render errors as JSON,
    /// record the latency.
    func respond(
        _ request: Request,
        _ parameters: Parameters,
        access: Access,
        readsBody: Bool = false,
        _ work: @Sendable (APICall) async throws(APIError) -> APIReply
    ) async -> Response {
        let start = ContinuousClock.now
        let reply: APIReply
        do throws(APIError) {
            let principal = try await authorize(request, access: access)
            var body: [UInt8] = []
            if readsBody { body = try await collect(request) }
            reply = try await work(APICall(principal: principal, request: request, body: body, parameters: parameters))
        } catch {
            reply = Self.errorReply(error)
        }
        let elapsed = start.duration(to: .now).components
        service.metrics.request(
            status: reply.status,
            seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        )
        return Self.response(reply)
    }

    /// The caller of a request, after the rate limit.
    func authorize(_ request: Request, access: Access) async throws(APIError) -> Principal {
        if case .open = access { return .anonymousReader }
        var token: String?
        if let header = request.headers[HeaderNames.authorization] {
            token = header
        } else if let query = request.uri.queryParameters["access_token"] {
            token = "Bearer " + String(query)
        }
        let principal: Principal
        if token == nil, case .dashboard = access, options.publicDashboard {
            // Anonymous dashboard readers share one bucket.
            principal = .anonymousReader
        } else {
            principal = try await authenticator.authenticate(authorization: token)
        }
        if let wait = limiter.take(principal.keyID) {
            throw APIError(
                status: 429,
                code: "rate-limited",
                message:
                    "more than \(limiter.rate) requests/s (burst \(limiter.burst)) for this key; retry in \(wait) s",
                retryAfterSeconds: wait
            )
        }
        return principal
    }

    /// The request body, checked for JSON content type and the size limit.
    func collect(_ request: Request) async throws(APIError) -> [UInt8] {
        if let length = request.headers[HeaderNames.contentLength], let bytes = Int(length),
            bytes > options.maxBodyBytes
        {
            throw Self.tooLarge(options.maxBodyBytes)
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: options.maxBodyBytes) } catch {
            throw Self.tooLarge(options.maxBodyBytes)
        }
        if buffer.readableBytes > 0 {
            let type = request.headers[HeaderNames.contentType]?.lowercased() ?? ""
            guard type.hasPrefix("application/json") else {
                throw APIError(
                    status: 415,
                    code: "unsupported-media-type",
                    field: "Content-Type",
                    value: type,
                    message: "send the body as Content-Type: application/json"
                )
            }
        }
        return Array(buffer.readableBytesView)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: 413, code: "body-too-large", field: "body", message: "the request body exceeds \(limit) bytes")
    }

    /// A validated `Idempotency-Key` header (1–128 printable ASCII characters), if sent.
    static func idempotencyKey(_ request: Request) throws(APIError) -> String? {
        guard let key = request.headers[HeaderNames.idempotencyKey] else { return nil }
        guard !key.isEmpty, key.utf8.count <= 128, key.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else {
            throw .badRequest(
                "invalid-header",
                field: "Idempotency-Key",
                value: key,
                "Idempotency-Key must be 1–128 printable ASCII characters"
            )
        }
        return key
    }

    /// SHA-256 over method, path and body: what "the same request" means for an idempotency key.
    static func fingerprint(_ request: Request, body: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: body)
        return APIKeys.hex(Array(hasher.finalize()))
    }

    /// Applies a write built from the body; the reply carries `Idempotent-Replayed: true` for a stored retry.
    func write(
        _ request: Request,
        _ parameters: Parameters,
        emptyBody: Bool = false,
        _ build: @escaping @Sendable (RequestObject, APICall) throws(APIError) -> WriteCommand
    ) async -> Response {
        await respond(request, parameters, access: .key, readsBody: true) { call throws(APIError) in
            let key = try Self.idempotencyKey(request)
            let object = try RequestObject(bytes: call.body, emptyIsObject: emptyBody)
            let command = try build(object, call)
            let outcome = await service.submit(
                command,
                principal: call.principal,
                idempotencyKey: key,
                // Only a retry with the same Idempotency-Key compares fingerprints: no hash without one.
                fingerprint: key == nil ? "" : Self.fingerprint(request, body: call.body)
            )
            switch outcome {
            case .success(let reply): return APIReply(status: reply.status, body: reply.body, replayed: reply.replayed)
            case .failure(let error): throw error
            }
        }
    }

    static func errorReply(_ error: APIError) -> APIReply {
        var reply = APIReply(status: error.status, body: error.json)
        reply.retryAfterSeconds = error.retryAfterSeconds
        return reply
    }

    /// The headers of a plain JSON reply, built once (`HTTPFields` is copy-on-write).
    static let jsonHeaders: HTTPFields = {
        var headers = HTTPFields()
        headers[HeaderNames.contentType] = "application/json"
        headers[HeaderNames.cacheControl] = "no-store"
        return headers
    }()

    static func response(_ reply: APIReply) -> Response {
        if reply.retryAfterSeconds == nil, !reply.replayed, reply.contentType == "application/json" {
            return Response(
                status: HTTPResponse.Status(code: reply.status),
                headers: jsonHeaders,
                body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body))
            )
        }
        var headers = HTTPFields()
        if let wait = reply.retryAfterSeconds { headers[HeaderNames.retryAfter] = String(wait) }
        headers[HeaderNames.contentType] = reply.contentType
        headers[HeaderNames.cacheControl] = "no-store"
        if reply.replayed { headers[HeaderNames.idempotentReplayed] = "true" }
        return Response(
            status: HTTPResponse.Status(code: reply.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body))
        )
    }
}
