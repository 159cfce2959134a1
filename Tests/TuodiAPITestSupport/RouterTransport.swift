import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenAPIRuntime
import TuodiAPI

/// The generated client (TuodiAPI) over HummingbirdTesting's client. The typed client decodes
/// every response against the contract, so a test that goes through it checks each response's
/// status, content type and shape as well as the values it asserts.
public struct TestClientTransport: ClientTransport {
    let client: any TestClientProtocol
    public init(client: any TestClientProtocol) { self.client = client }

    public func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        var buffer: ByteBuffer?
        if let body { buffer = ByteBuffer(bytes: try await [UInt8](collecting: body, upTo: 64 << 20)) }
        let response = try await client.execute(uri: request.path ?? "/", method: request.method, headers: request.headerFields,
                                                body: buffer)
        return (HTTPResponse(status: response.status, headerFields: response.headers), HTTPBody(Array(buffer: response.body)))
    }
}

extension Client {
    /// A typed client over `client`, signed in with `token` if given.
    public static func testing(_ client: any TestClientProtocol, token: String? = nil) -> Client {
        // The transport hands the path to the router; no host is involved.
        Client(serverURL: URL(fileURLWithPath: "/"), transport: TestClientTransport(client: client),
               middlewares: token.map { [BearerMiddleware(token: $0)] } ?? [])
    }
}
