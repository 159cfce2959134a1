import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenAPIHummingbird
import OpenAPIRuntime
import TuodiApp
import TuodiWeb

/// The OpenAPI document, compiled into the binary and served as is.
public let openAPIDocument: [UInt8] = PackageResources.openapi_yaml

/// Builds the router: the problem+json error mapping around everything, the spec, and the
/// generated API routes. Tests use it in-process; `buildApplication` serves it.
public func buildRouter(context: AppContext, web: WebSettings = .init()) throws -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: BearerTokenMiddleware())
    router.get("/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: openAPIDocument)))
    }
    try APIHandler(context: context).registerHandlers(on: router, serverURL: URL(string: "/")!)
    // The web application for bureau staff: pages at `/`, on the same router and server.
    try WebApp<BasicRequestContext>(context: context, settings: web).register(on: router)
    return router
}

/// The one builder of the HTTP application, called by `tuodi serve` and by the tests.
public func buildApplication(
    context: AppContext, config: TuodiApp.Configuration,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    var logger = context.logger
    logger.logLevel = config.logLevel
    return Application(
        router: try buildRouter(context: context, web: WebSettings(secureCookies: config.secureCookies)),
        configuration: .init(address: .hostname(config.httpHost, port: config.httpPort), serverName: "tuodi"),
        onServerRunning: onServerRunning,
        logger: logger)
}
