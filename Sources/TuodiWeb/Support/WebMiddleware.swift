import HTTPTypes
import Hummingbird
import Logging
import TuodiApp

/// A post whose form token is missing or wrong: refused before anything is read or written.
struct CSRFRejected: Error {}

/// The response headers of every page, and the one place where errors become error pages.
struct WebMiddleware<Context: RequestContext>: RouterMiddleware {
    let views: Views
    let logger: Logger

    /// No script at all (none is needed), styles and images from this site only, no framing,
    /// forms post back here only.
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorPage(error, request: request)
        }
        response.headers[WebHeader.csp] = Self.contentSecurityPolicy
        response.headers[WebHeader.contentTypeOptions] = "nosniff"
        response.headers[WebHeader.frameOptions] = "DENY"
        response.headers[WebHeader.referrerPolicy] = "same-origin"
        // Pages show one person's records: never cached, so after logout the back button asks
        // the server again (and lands on the login page).
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    func errorPage(_ error: any Error, request: Request) -> Response {
        switch error {
        case AppError.notFound, is RouteNotFound:
            // Another unit's record and a missing one read exactly the same.
            return views.response(ErrorPage.notFound, status: .notFound)
        case AppError.forbidden:
            return views.response(ErrorPage.forbidden, status: .forbidden)
        case is CSRFRejected:
            return views.response(ErrorPage.csrf, status: .forbidden)
        case AppError.unauthenticated:
            return redirect("/login")
        case let http as HTTPError where http.status == .notFound:
            return views.response(ErrorPage.notFound, status: .notFound)
        case let http as HTTPError where http.status == .contentTooLarge:
            return views.response(ErrorPage.tooLarge, status: .contentTooLarge)
        case AppError.unavailable:
            logger.error("page failed: database unavailable", metadata: ["path": "\(request.uri.path)"])
            return views.response(ErrorPage.unavailable, status: .serviceUnavailable)
        default:
            logger.error("page failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return views.response(ErrorPage.internal, status: .internalServerError)
        }
    }
}

/// No page at this address.
struct RouteNotFound: Error {}

/// The error pages: a heading, a sentence and a way on. Deliberately say nothing about the record.
struct ErrorPage: PageModel {
    static let template = "error"
    let chrome: Chrome
    let heading: String
    let message: String

    init(_ heading: String, _ message: String) {
        chrome = .signedOut(title: heading)
        self.heading = heading
        self.message = message
    }

    static let notFound = ErrorPage("找不到该页面", "您要找的页面或记录不存在，或不在您的管辖范围内。请检查网址，或从工作台重新进入。")
    static let forbidden = ErrorPage("无权访问", "您的角色不能进行这项操作。如需办理，请联系有权限的同事。")
    static let csrf = ErrorPage("表单已失效", "该表单已过期或并非从本系统提交，未做任何更改。请返回上一页刷新后重新提交。")
    static let tooLarge = ErrorPage("提交的内容过大", "未做任何更改。请缩短内容后重新提交。")
    static let unavailable = ErrorPage("服务暂时不可用", "数据库暂时无法访问，未做任何更改。请稍后再试。")
    static let `internal` = ErrorPage("系统出错", "处理您的请求时出错，未做任何更改。错误已记录，请稍后再试或联系系统管理员。")
}

/// Header names not in HTTPTypes' list.
enum WebHeader {
    static let csp = HTTPField.Name("Content-Security-Policy")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
