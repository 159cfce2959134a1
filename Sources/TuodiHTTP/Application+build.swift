import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenAPIHummingbird
import OpenAPIRuntime
import Prometheus
import ServiceLifecycle
import TuodiAPI
import TuodiApp
import TuodiWeb

/// What the server adds around the API when it runs as a service: `/metrics`, and the count of
/// requests in flight for the shutdown log. Tests that build the router in-process pass none.
public struct ServerOperations: Sendable {
    public let metrics: MetricsEndpoint?
    public let inFlight: InFlightRequests
    public init(metrics: MetricsEndpoint? = nil, inFlight: InFlightRequests = InFlightRequests()) {
        self.metrics = metrics
        self.inFlight = inFlight
    }
}

/// Builds the router: the access log and metrics outermost (they see the final status), security
/// headers on every answer, the problem+json error mapping around everything else, body limits
/// before anything reads a body, the spec, and the generated API routes. Tests use it
/// in-process; `buildApplication` serves it.
public func buildRouter(context: AppContext, operations: ServerOperations = ServerOperations(),
                        limits: RequestBodyLimits = RequestBodyLimits(), web: WebSettings = .init()) throws -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: AccessLogMiddleware(inFlight: operations.inFlight))
    if operations.metrics != nil { router.add(middleware: MetricsMiddleware()) }
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: RequestBodyLimitMiddleware(limits: limits))
    router.add(middleware: BearerTokenMiddleware())
    router.add(middleware: DownloadHeadersMiddleware())
    router.get("/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: openAPIDocument)))
    }
    if let metrics = operations.metrics {
        router.get("/metrics") { _, _ in metrics.response() }
    }
    // Monitors probe with HEAD: the same answers as GET /health and GET /ready, without a body.
    router.head("/health") { _, _ in Response(status: .ok) }
    router.head("/ready") { _, _ in
        do {
            _ = try await context.readiness()
            return Response(status: .ok)
        } catch {
            return Response(status: .serviceUnavailable)
        }
    }
    try APIHandler(context: context).registerHandlers(on: router, serverURL: URL(string: "/")!, middlewares: [InputTextMiddleware()])
    // The web application for bureau staff: pages at `/`, on the same router and server.
    try WebApp<BasicRequestContext>(context: context, settings: web).register(on: router)
    return router
}

/// The one builder of the HTTP application, called by `tuodi serve` and by the tests.
/// `services` run in the application's service group beside the server (the PostgreSQL pool);
/// `beforeServerStarts` runs once they have started and before the server listens (the schema
/// check), and a failure there stops everything.
public func buildApplication(
    context: AppContext, config: TuodiApp.Configuration, operations: ServerOperations = ServerOperations(),
    services: [any Service] = [], beforeServerStarts: @escaping @Sendable () async throws -> Void = {},
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    var logger = context.logger
    logger.logLevel = config.logLevel
    var app = Application(
        router: try buildRouter(context: context, operations: operations, web: WebSettings(secureCookies: config.secureCookies)),
        // A connection that goes silent, mid-body included, is closed after the idle timeout: a
        // client that sends half a body can hold neither a connection nor a graceful shutdown.
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(config.httpIdleTimeoutSeconds)))),
        configuration: .init(address: .hostname(config.httpHost, port: config.httpPort), serverName: "tuodi"),
        services: services,
        onServerRunning: onServerRunning,
        logger: logger)
    app.beforeServerStarts(perform: beforeServerStarts)
    return app
}
