import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import Synchronization
import TuodiApp

/// One access-log line per request at `info`, once the response is ready: method, path, status
/// and duration, under the request id that the use cases' own log lines carry too. It also
/// counts requests in flight, so a shutdown can say what it is waiting for.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let inFlight: InFlightRequests

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        inFlight.begin()
        defer { inFlight.end() }
        return try await RequestScope.$id.withValue(context.id) {
            do {
                let response = try await next(request, context)
                log(request, context, status: response.status.code, started)
                return response
            } catch {
                let status = (error as? any HTTPResponseError)?.status.code ?? 500
                log(request, context, status: status, started)
                throw error
            }
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, _ started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        // The path without its query: a query may carry search text typed by a person.
        context.logger.info("request", metadata: [
            "http.method": .string(request.method.rawValue),
            "http.path": .string(request.uri.path),
            "http.status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.1f", ms)),
        ])
    }
}

/// Requests being served now, and served since start; read when the server drains on shutdown.
public final class InFlightRequests: Sendable {
    private let state = Mutex((now: 0, total: 0))
    public init() {}
    func begin() { state.withLock { $0.now += 1; $0.total += 1 } }
    func end() { state.withLock { $0.now -= 1 } }
    public var current: Int { state.withLock { $0.now } }
    public var served: Int { state.withLock { $0.total } }
}

/// `/metrics` in the Prometheus text format: request counts and durations per route
/// (Hummingbird's MetricsMiddleware), database sessions in use and waits (SQLStore).
public struct MetricsEndpoint: Sendable {
    public let registry: PrometheusCollectorRegistry
    public init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    /// Metric and label names as Prometheus allows them (`hb.requests` → `hb_requests`).
    public static func sanitize(_ name: String) -> String {
        String(name.unicodeScalars.map { u -> Character in
            (u.properties.isAlphabetic && u.isASCII) || ("0"..."9").contains(Character(u)) || u == "_" || u == ":" ? Character(u) : "_"
        })
    }

    func response() -> Response {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
