import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import OpenAPIRuntime
import TuodiAPI

/// The generated client (TuodiAPI) over real HTTP on loopback, through Foundation's
/// URLSession. Every response is decoded against the contract, so a walk through the typed
/// client checks the shapes a running `tuodi serve` sends.
public struct LoopbackTransport: ClientTransport {
    public struct NotHTTP: Error {}
    public init() {}

    public func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        guard let url = URL(string: base + (request.path ?? "/")) else { throw NotHTTP() }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method.rawValue
        for field in request.headerFields { urlRequest.addValue(field.value, forHTTPHeaderField: field.name.rawName) }
        if let body { urlRequest.httpBody = Data(try await [UInt8](collecting: body, upTo: 64 << 20)) }
        let (data, response) = try await URLSession.shared.data(for: urlRequest)
        guard let http = response as? HTTPURLResponse else { throw NotHTTP() }
        var fields = HTTPFields()
        for case let (name as String, value as String) in http.allHeaderFields {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return (HTTPResponse(status: .init(code: http.statusCode), headerFields: fields), HTTPBody(data))
    }
}

/// Sends `Authorization: Bearer …` with every request.
public struct BearerMiddleware: ClientMiddleware {
    let token: String
    public init(token: String) { self.token = token }
    public func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

extension Client {
    /// A typed client of the server at `baseURL`, signed in with `token` if given.
    public static func loopback(_ baseURL: URL, token: String? = nil) -> Client {
        Client(serverURL: baseURL, transport: LoopbackTransport(), middlewares: token.map { [BearerMiddleware(token: $0)] } ?? [])
    }
}
