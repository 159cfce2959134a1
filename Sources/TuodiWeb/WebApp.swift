import Foundation
import Hummingbird
import Logging
import TuodiApp
import TuodiDomain

/// How the web application is served.
public struct WebSettings: Sendable {
    /// The site is reached over TLS (a proxy in front): session cookies get `Secure`.
    public var secureCookies: Bool
    public init(secureCookies: Bool = false) { self.secureCookies = secureCookies }
}

/// The web application for bureau staff, mounted on the API's router: pages at `/`, the API
/// keeps `/api/v1` and `/public/v1`. Handlers read the request, call the same `TuodiApp` use
/// cases as the API and the CLI, and hand a view model to a template; nothing else.
public struct WebApp<Context: RequestContext>: Sendable {
    let context: AppContext
    let cookies: SessionCookies
    let views: Views
    /// Import files between their dry run and the confirmation.
    let uploads = UploadStash()

    public init(context: AppContext, settings: WebSettings = .init()) throws {
        self.context = context
        cookies = SessionCookies(secure: settings.secureCookies)
        views = try Views()
    }

    public func register(on router: Router<Context>) {
        let web = router.group().add(middleware: WebMiddleware<Context>(views: views, logger: context.logger))
        web.get("/assets/tuodi.css") { _, _ in asset(Templates.stylesheet, type: "text/css; charset=utf-8") }
        web.get("/assets/favicon.svg") { _, _ in asset(Templates.icon, type: "image/svg+xml") }
        web.get("/favicon.ico") { _, _ in asset(Templates.icon, type: "image/svg+xml") }
        registerLogin(on: web)
        registerDashboard(on: web)
        registerEstates(on: web)
        registerCorrections(on: web)
        registerArrangements(on: web)
        registerSelections(on: web)
        registerMatching(on: web)
        registerCoverage(on: web)
        registerReturns(on: web)
        registerPool(on: web)
        registerPoolPages(on: web)
        registerAudit(on: web)
        registerUsers(on: web)
        registerImports(on: web)
        registerPublic(on: web)
        // Any other address a browser asks for gets the 404 page; the API's own paths keep
        // their problem+json answer.
        web.get("**") { request, _ -> Response in
            let path = request.uri.path
            if path.hasPrefix("/api/") || path.hasPrefix("/public/v1") { throw HTTPError(.notFound) }
            throw RouteNotFound()
        }
    }

    // MARK: sessions

    /// The signed-in person, or `nil` without a cookie or with an expired or revoked token.
    func session(_ request: Request) async throws -> WebSession? {
        guard let token = request.cookies[SessionCookies.session]?.value, !token.isEmpty else { return nil }
        do {
            return WebSession(token: token, caller: try await context.identity.authenticate(token: token))
        } catch AppError.unauthenticated {
            return nil
        }
    }

    /// A page for signed-in people; others go to the login page.
    func page(_ group: RouterGroup<Context>, _ path: RouterPath,
              _ handler: @escaping @Sendable (WebRequest) async throws -> Response) {
        group.get(path) { request, context in
            guard let session = try await session(request) else { return redirect("/login") }
            let query = FormData(urlEncoded: request.uri.query ?? "")
            return try await handler(WebRequest(session: session, parameters: context.parameters, query: query, form: query))
        }
    }

    /// A form post from a signed-in person, refused with 403 before anything happens unless it
    /// carries the session's form token.
    func form(_ group: RouterGroup<Context>, _ path: RouterPath,
              _ handler: @escaping @Sendable (WebRequest) async throws -> Response) {
        group.post(path) { request, context in
            let form = try await readForm(request, context: context)
            guard let session = try await session(request) else { return redirect("/login") }
            guard CSRF.matches(form[CSRF.field], session.csrf) else { throw CSRFRejected() }
            return try await handler(WebRequest(session: session, parameters: context.parameters,
                                                query: FormData(urlEncoded: request.uri.query ?? ""), form: form))
        }
    }
}

/// What a page handler gets: who asks, the path parameters, the query and (for a post) the form.
struct WebRequest: Sendable {
    let session: WebSession
    let parameters: Parameters
    let query: FormData
    let form: FormData

    var caller: Caller { session.caller }

    /// A path parameter, percent-decoded; a missing one is the 404 page.
    func parameter(_ name: String) throws -> String {
        guard let raw = parameters.get(name), let value = raw.removingPercentEncoding, !value.isEmpty else { throw RouteNotFound() }
        return value
    }

    func intParameter(_ name: String) throws -> Int {
        guard let n = Int(try parameter(name)) else { throw RouteNotFound() }
        return n
    }
}

/// Forms are small; a larger body is refused before it is buffered further.
let maximumFormBytes = 64 * 1024

func readForm<Context: RequestContext>(_ request: Request, context: Context) async throws -> FormData {
    let buffer = try await request.body.collect(upTo: maximumFormBytes)
    return FormData(urlEncoded: String(buffer: buffer))
}

func asset(_ bytes: [UInt8], type: String) -> Response {
    Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
             body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}
