import Foundation
import HTTPTypes
import OpenAPIRuntime
import TuodiApp
import TuodiDomain

/// The longest text each request field may hold, by field name. `openapi.yaml` states the same
/// limits as `maxLength` on every string of every request body (a test holds the two together).
enum TextLimits {
    static let standard = 200
    static let byField: [String: Int] = [
        "address": 500, "registeredAddress": 500, "username": 64, "password": 128, "contactPhone": 40,
        "reason": 2000, "justification": 2000, "note": 2000,
    ]
    /// Fields written as prose, where tab and line breaks are fine.
    static let multiline: Set<String> = ["reason", "justification", "note"]

    static func maxLength(_ field: String) -> Int { byField[field] ?? standard }
}

/// Holds every text a request brings (each string in a JSON body, each query and path value) to
/// `TextRule` before the operation, or authentication, sees it: a 422 naming every field that is
/// too long or carries a control character, and nothing written. The generated server does not
/// enforce `maxLength`, and a NUL would otherwise reach PostgreSQL (which refuses it with an
/// error) or SQLite (which cuts the text short).
struct InputTextMiddleware: ServerMiddleware {
    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        var errors: [FieldError] = []
        for item in URLComponents(string: request.path ?? "")?.queryItems ?? [] {
            errors += Self.check(item.value ?? "", field: item.name)
        }
        for (name, value) in metadata.pathParameters {
            errors += Self.check(String(value).removingPercentEncoding ?? String(value), field: name)
        }
        var forwarded = body
        if let body, request.headerFields[.contentType]?.lowercased().hasPrefix("application/json") == true {
            // Bounded by RequestBodyLimitMiddleware; handed on as bytes, since a body streams once.
            let bytes = try await [UInt8](collecting: body, upTo: .max)
            forwarded = HTTPBody(bytes)
            if let json = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) {
                errors += Self.check(json: json, path: [])
            }
        }
        guard errors.isEmpty else { throw AppError.validation(errors) }
        return try await next(request, forwarded, metadata)
    }

    static func check(_ value: String, field: String) -> [FieldError] {
        TextRule.problem(in: value, field: field, maxLength: TextLimits.maxLength(field)).map { [$0] } ?? []
    }

    /// Every string in a JSON value; `path` is where it sits (`criteria.0.name`), the limit is
    /// the one of the innermost field name.
    static func check(json: Any, path: [String]) -> [FieldError] {
        switch json {
        case let text as String:
            let name = path.last { Int($0) == nil } ?? ""
            let field = path.joined(separator: ".")
            return TextRule.problem(in: text, field: field, maxLength: TextLimits.maxLength(name),
                                    multiline: TextLimits.multiline.contains(name)).map { [$0] } ?? []
        case let object as [String: Any]:
            return object.sorted { $0.key < $1.key }.flatMap { check(json: $0.value, path: path + [$0.key]) }
        case let array as [Any]:
            return array.enumerated().flatMap { check(json: $0.element, path: path + [String($0.offset)]) }
        default:
            return []
        }
    }
}
