import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TuodiApp
import TuodiDomain
@testable import TuodiHTTP
import TuodiStore
import TuodiTestSupport

/// Client mistakes answered as such, never with 500 (issue 13).
extension APITests {
    /// `errors[].field` of a problem body.
    func fields(_ response: TestResponse) throws -> [String] {
        (try json(response.body)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    @Test("client mistakes once answered with 500 are 4xx problem+json, naming the parameter")
    func clientMistakes() async throws {
        try await withAPI(.sqlite) { client, _ in
            let clerk = try await login(client, "hp.clerk")
            var form = clerk
            form[.contentType] = "application/x-www-form-urlencoded"
            let cases: [(String, HTTPRequest.Method, HTTPFields, String?, HTTPResponse.Status, [String]?)] = [
                ("/api/v1/companies", .post, form, "uscc=x&name=y", .unsupportedMediaType, nil),
                ("/api/v1/estates/HP-0001?asOf=2026-13-01", .get, clerk, nil, .unprocessableContent, ["asOf"]),
                ("/api/v1/units/310101/pool?asOf=xx", .get, clerk, nil, .unprocessableContent, ["asOf"]),
                ("/public/v1/pool", .get, [:], nil, .badRequest, ["district"]),
                ("/public/v1/pool?district=310101", .get, [.accept: "text/html"], nil, .notAcceptable, nil),
                ("/api/v1/units/310101/returns/2026/3/export", .get, clerk, nil, .badRequest, ["format"]),
                ("/api/v1/estates/HP-0001/custody-candidates", .get, clerk, nil, .badRequest, ["start"]),
                // With another parameter present the runtime reports only "a value is missing", not which.
                ("/api/v1/estates/HP-0001/custody-candidates?plannedEnd=2027-01-01", .get, clerk, nil, .badRequest, nil),
                ("/api/v1/companies?limit=abc", .get, clerk, nil, .badRequest, nil),
            ]
            for (uri, method, headers, body, status, named) in cases {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                #expect(response.status == status, "\(method) \(uri): \(String(buffer: response.body))")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(uri)")
                if let named { #expect(try fields(response) == named, "\(uri): \(String(buffer: response.body))") }
                #expect(try !fields(response).contains(""), "\(uri) names an empty field")
            }
        }
    }
}
