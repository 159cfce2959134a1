import Foundation
import Hummingbird
import Logging
import OpenAPIRuntime
import TuodiApp
import TuodiDomain

/// An RFC 9457 problem-details body.
struct Problem: Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String?
    var rule: RefusalRule?
    var errors: [FieldError]?
}

/// The one place where errors become HTTP responses. Every error body is
/// `application/problem+json`; nothing internal leaks into a 500.
///
/// The status of every error comes from `HTTPResponseConvertible` (swift-openapi-runtime's
/// protocol): the runtime's own errors conform to it (a missing parameter is 400, a wrong content
/// type 415, an unacceptable `Accept` 406), and so do the app's errors, below. The body adds a
/// Chinese title and, where a field is to blame, names it.
enum ProblemMapping {
    static func problem(for error: any Error, path: String, logger: Logger) -> Problem {
        let cause = AppError.translating(unwrap(error))
        switch cause {
        case AppError.validation(let fields):
            return Problem(type: "/problems/validation", title: "输入有误", status: 422,
                           detail: fields.map(\.message).joined(separator: "；"), instance: path, errors: fields)
        case AppError.conflict(let rule, let message):
            return Problem(type: "/problems/\(rule.rawValue)", title: "与现有数据冲突", status: 409, detail: message,
                           instance: path, rule: rule)
        case AppError.notFound(let entity, let key):
            return Problem(type: "/problems/not-found", title: "未找到", status: 404,
                           detail: "\(entity) \(key) 不存在", instance: path)
        case AppError.unauthenticated(let message):
            return Problem(type: "/problems/unauthenticated", title: "未登录或登录已失效", status: 401, detail: message, instance: path)
        case AppError.forbidden(let message):
            return Problem(type: "/problems/forbidden", title: "无权操作", status: 403, detail: message, instance: path)
        case AppError.unavailable(let message):
            return Problem(type: "/problems/unavailable", title: "服务暂不可用", status: 503, detail: message, instance: path)
        case AppError.busy(let message):
            return Problem(type: "/problems/retry", title: "请稍后重试", status: 503, detail: message, instance: path, rule: .retry)
        case let tooLarge as RequestTooLarge:
            return Problem(type: "/problems/too-large", title: "请求体过大", status: 413,
                           detail: "请求体超过本接口的上限（\(tooLarge.limit / 1024 / 1024) MB）", instance: path)
        case let decoding as DecodingError:
            return decodingProblem(decoding, path: path, request: error as? ServerError)
        case let http as HTTPError:
            return Problem(type: "about:blank", title: http.status.reasonPhrase, status: http.status.code,
                           detail: http.body, instance: path)
        default:
            let status = (cause as? any HTTPResponseConvertible)?.httpStatus ?? (error as? any HTTPResponseConvertible)?.httpStatus
            if let status, (400..<500).contains(status.code) {
                return runtimeProblem(cause, status: status, path: path)
            }
            logger.error("unhandled error", metadata: ["error": "\(String(reflecting: cause))", "path": "\(path)"])
            return Problem(type: "/problems/internal", title: "内部错误", status: 500,
                           detail: "服务器内部错误，已记录日志", instance: path)
        }
    }

    /// The generated server wraps handler and decoding errors in `ServerError`.
    static func unwrap(_ error: any Error) -> any Error {
        var current = error
        while let server = current as? ServerError { current = server.underlyingError }
        return current
    }

    /// A request the generated server refused before any handler ran. The runtime's error type
    /// is internal to it, so the parameter it names is read from the error's case (its payload is
    /// the parameter's name), not from its message.
    static func runtimeProblem(_ error: any Error, status: HTTPResponse.Status, path: String) -> Problem {
        let payload = Mirror(reflecting: error).children.first
        switch (status.code, payload?.label) {
        case (400, "missingRequiredQueryParameter"?), (400, "missingRequiredPathParameter"?), (400, "missingRequiredHeaderField"?):
            let name = payload?.value as? String ?? ""
            let message = "缺少必需的参数 \(name)"
            return Problem(type: "/problems/bad-request", title: "缺少必需的参数", status: 400, detail: message, instance: path,
                           errors: [FieldError(field: name, code: "required", message: message)])
        case (400, "missingRequiredRequestBody"?):
            return Problem(type: "/problems/bad-request", title: "缺少请求体", status: 400, detail: "本接口需要请求体", instance: path)
        case (415, _):
            return Problem(type: "/problems/unsupported-media-type", title: "不支持的内容类型", status: 415,
                           detail: "请求体的内容类型（Content-Type）不是本接口接受的类型", instance: path)
        case (406, _):
            return Problem(type: "/problems/not-acceptable", title: "无法提供所要求的格式", status: 406,
                           detail: "本接口无法以 Accept 头所要求的格式作答", instance: path)
        default:
            return Problem(type: "/problems/bad-request", title: "请求无法解析", status: status.code,
                           detail: "请求的参数或请求体无法解析", instance: path)
        }
    }

    /// A body that is JSON but not of the declared shape: name the field.
    static func decodingProblem(_ error: DecodingError, path: String, request: ServerError? = nil) -> Problem {
        func fieldName(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        let field: FieldError
        switch error {
        case .keyNotFound(let key, let context):
            let name = fieldName(context.codingPath, key)
            field = FieldError(field: name, code: "required", message: "缺少必填字段 \(name)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let name = fieldName(context.codingPath)
            field = FieldError(field: name, code: "type", message: "字段 \(name) 的类型不对")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let name = fieldName(context.codingPath)
            field = FieldError(field: name, code: "invalid", message: "字段 \(name) 的值无效")
        default:
            return Problem(type: "/problems/bad-request", title: "请求无法解析", status: 400,
                           detail: "请求体不是有效的 JSON", instance: path)
        }
        // A query or path parameter of the wrong type fails with no coding path at all; the
        // request itself shows which one it was, if only one value is not of the wanted type.
        guard !field.field.isEmpty else {
            if let (name, value, wanted) = mistypedParameter(error, in: request) {
                let message = "参数 \(name) 应为\(wanted)，实为“\(value)”"
                return Problem(type: "/problems/bad-request", title: "参数的类型不对", status: 400, detail: message, instance: path,
                               errors: [FieldError(field: name, code: "type", message: message)])
            }
            return Problem(type: "/problems/bad-request", title: "请求无法解析", status: 400,
                           detail: "请求的参数或请求体的类型不对", instance: path)
        }
        return Problem(type: "/problems/validation", title: "输入有误", status: 422, detail: field.message,
                       instance: path, errors: [field])
    }

    /// The one path or query parameter whose value does not convert to the type the runtime
    /// wanted (its error names the type, not the parameter), with the type's Chinese name.
    static func mistypedParameter(_ error: DecodingError, in request: ServerError?) -> (String, String, String)? {
        guard let request, case .typeMismatch(let type, let context) = error, context.codingPath.isEmpty else { return nil }
        let wanted: String, converts: (String) -> Bool
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type: (wanted, converts) = ("整数", { Int64($0) != nil })
        case is Double.Type, is Float.Type: (wanted, converts) = ("数字", { Double($0) != nil })
        case is Bool.Type: (wanted, converts) = ("true 或 false", { $0 == "true" || $0 == "false" })
        default: return nil
        }
        var parameters = request.requestMetadata.pathParameters.map { (String($0.key), String($0.value)) }
        if let query = request.request.path?.split(separator: "?", maxSplits: 1).dropFirst().first {
            for item in query.split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decoded(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
                parameters.append((decoded(pair[0]), pair.count > 1 ? decoded(pair[1]) : ""))
            }
        }
        let failing = parameters.filter { !converts($0.1) }
        guard Set(failing.map(\.0)).count == 1, let first = failing.first else { return nil }
        return (first.0, first.1, wanted)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func response(_ problem: Problem) -> Response {
        let data = (try? encoder.encode(problem)) ?? Data(#"{"type":"about:blank","title":"error","status":500}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json; charset=utf-8"]
        if problem.status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        // A refusal for load alone (too many heavy reports, a busy database): say when to come back.
        if problem.rule == .retry { headers[.retryAfter] = "2" }
        return Response(status: .init(code: problem.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Catches every error below it and answers with problem+json.
/// The app's errors, by status. (Their bodies are built above; this is what the generated
/// server and anything else that asks `HTTPResponseConvertible` sees.)
extension AppError: HTTPResponseConvertible {
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .validation: .unprocessableContent
        case .conflict: .conflict
        case .notFound: .notFound
        case .unavailable, .busy: .serviceUnavailable
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        }
    }
}

struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return ProblemMapping.response(ProblemMapping.problem(for: error, path: request.uri.path, logger: context.logger))
        }
    }
}

/// The bearer token of the request being handled, for the generated handlers (which see only
/// their typed input).
enum RequestCredentials {
    @TaskLocal static var bearerToken: String?
}

/// Reads `Authorization: Bearer …` into `RequestCredentials`. Checking it is the app layer's job.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var token: String?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return try await RequestCredentials.$bearerToken.withValue(token) { try await next(request, context) }
    }
}
