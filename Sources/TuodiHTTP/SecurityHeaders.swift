import HTTPTypes
import Hummingbird

/// Headers every response carries, errors included (it sits outside `ProblemMiddleware`).
/// The API serves JSON, downloads and a printable HTML return; none of them is meant to be
/// sniffed into something else, framed by another site, or to leak its address onwards.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        var headers = response.headers
        headers[.xContentTypeOptions] = "nosniff"
        headers[.xFrameOptions] = "DENY"
        // Pages send `same-origin` so their own links keep working; the API sends nothing.
        if headers[.referrerPolicy] == nil { headers[.referrerPolicy] = "no-referrer" }
        // Pages that set their own policy keep it; everything else may not be framed at all.
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = "frame-ancestors 'none'" }
        // What a signed-in caller sees (and the token the login hands out) must not stay in a
        // browser's or a proxy's cache. Public answers (the roster, the spec) may be cached.
        if Self.carriesCredentials(request), headers[.cacheControl] == nil {
            headers[.cacheControl] = "no-store"
        }
        response.headers = headers
        return response
    }

    static func carriesCredentials(_ request: Request) -> Bool {
        request.headers[.authorization] != nil || request.headers[.cookie] != nil
            || request.uri.path.hasPrefix("/api/v1/auth/")
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
