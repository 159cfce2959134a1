import Hummingbird
import NIOCore
import OpenAPIRuntime

/// How many bytes a request body may have, by route. The generated server buffers a JSON body
/// whole (swift-openapi-runtime collects it with no upper bound), so without this a single
/// request of 1 GiB costs 1 GiB of memory, before anyone has looked at its token.
public struct RequestBodyLimits: Sendable {
    /// Every JSON body: the largest real one (a match proposal edit, a round's criteria) is a few KB.
    public var json = 2 * 1024 * 1024
    /// Spreadsheet uploads (`/api/v1/imports/…`): a 20,000-row estate workbook is about 1 MB.
    public var upload = 50 * 1024 * 1024

    public init() {}

    static let uploadPrefix = "/api/v1/imports/"
    /// The web application's upload form posts here (multipart).
    static let webUploadPath = "/imports"

    /// The limit for a request to `path`.
    func limit(for path: String) -> Int {
        path.hasPrefix(Self.uploadPrefix) || path == Self.webUploadPath ? upload : json
    }
}

/// A request body over its route's limit: 413, whatever else is wrong with the request.
struct RequestTooLarge: Error, HTTPResponseConvertible {
    let limit: Int
    var httpStatus: HTTPResponse.Status { .contentTooLarge }
}

/// Refuses an oversized body before anything buffers it: a declared `Content-Length` over the
/// limit is refused at once, without reading a byte; any other body (chunked, or shorter than
/// declared) is counted as it streams in, and reading stops with `RequestTooLarge` at the limit.
/// It sits outside authentication on purpose: an anonymous client must not be able to make the
/// server hold more than one limit's worth of its bytes.
struct RequestBodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: RequestBodyLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = limits.limit(for: request.uri.path)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw RequestTooLarge(limit: limit)
        }
        var request = request
        request.body = RequestBody(asyncSequence: CountedBody(base: request.body, limit: limit))
        return try await next(request, context)
    }
}

/// A request body that throws `RequestTooLarge` once more than `limit` bytes have arrived.
struct CountedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            seen += chunk.readableBytes
            if seen > limit { throw RequestTooLarge(limit: limit) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }
}
