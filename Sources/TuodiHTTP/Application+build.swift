import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle
import TuodiApp

/// The OpenAPI document, compiled into the binary and served as is.
public let openAPIDocument: [UInt8] = PackageResources.openapi_yaml

/// Builds the router: the problem+json error mapping around everything, the spec, and the
/// generated API routes. Tests use it in-process; `buildApplication` serves it.
public func buildRouter(context: AppContext, limits: RequestBodyLimits = RequestBodyLimits()) throws -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: RequestBodyLimitMiddleware(limits: limits))
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: BearerTokenMiddleware())
    router.add(middleware: DownloadHeadersMiddleware())
    router.get("/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: openAPIDocument)))
    }
    try APIHandler(context: context).registerHandlers(on: router, serverURL: URL(string: "/")!, middlewares: [InputTextMiddleware()])
    return router
}

/// The one builder of the HTTP application, called by `tuodi serve` and by the tests.
/// `services` run in the application's service group beside the server (the PostgreSQL pool);
/// `beforeServerStarts` runs once they have started and before the server listens (the schema
/// check), and a failure there stops everything.
public func buildApplication(
    context: AppContext, config: TuodiApp.Configuration, services: [any Service] = [],
    beforeServerStarts: @escaping @Sendable () async throws -> Void = {},
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    var logger = context.logger
    logger.logLevel = config.logLevel
    var app = Application(
        router: try buildRouter(context: context),
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
