import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// A file answer, as the handler that makes it describes it: its name and its exact content type.
/// The generated server writes declared headers URI-encoded (`attachment%3B%20filename…`, which
/// browsers ignore) and knows no charset, so `DownloadHeadersMiddleware` writes both headers
/// itself from this description.
final class DownloadDescription: Sendable {
    private let value = Mutex<(fileName: String, contentType: String)?>(nil)

    /// The description of the file the current request answers with, if its handler gave one.
    @TaskLocal static var current: DownloadDescription?

    /// Called by a handler that answers with a file.
    static func describe(fileName: String, contentType: String) {
        current?.value.withLock { $0 = (fileName, contentType) }
    }

    var file: (fileName: String, contentType: String)? { value.withLock { $0 } }

    /// `attachment` with an ASCII `filename` for old clients and the exact name as RFC 6266's
    /// `filename*` (UTF-8, percent-encoded as RFC 8187 says), so a Chinese name survives.
    static func contentDisposition(fileName: String) -> String {
        let fallback = String(fileName.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        let attrChars = Set("!#$&+-.^_`|~".unicodeScalars)
        let encoded = fileName.utf8.map { byte -> String in
            let scalar = Unicode.Scalar(byte)
            let plain = byte < 0x80 && (CharacterSet.alphanumerics.contains(scalar) || attrChars.contains(scalar))
            return plain ? String(scalar) : String(format: "%%%02X", byte)
        }.joined()
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}

/// Writes `Content-Type` and `Content-Disposition` of a file answer from its `DownloadDescription`.
struct DownloadHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let description = DownloadDescription()
        var response = try await DownloadDescription.$current.withValue(description) { try await next(request, context) }
        if let file = description.file {
            response.headers[.contentType] = file.contentType
            response.headers[.contentDisposition] = DownloadDescription.contentDisposition(fileName: file.fileName)
        }
        return response
    }
}
