import Foundation
import Testing
@testable import TuodiWeb

/// The upload form's body as browsers write it (RFC 7578).
@Suite("multipart/form-data")
struct MultipartTests {
    static func body(_ boundary: String, _ parts: [(headers: String, content: [UInt8])]) -> [UInt8] {
        var bytes: [UInt8] = []
        for p in parts { bytes += Array("--\(boundary)\r\n\(p.headers)\r\n\r\n".utf8) + p.content + Array("\r\n".utf8) }
        return bytes + Array("--\(boundary)--\r\n".utf8)
    }

    @Test("fields and a binary file, whose bytes may contain CRLF and dashes")
    func fieldsAndFile() throws {
        let boundary = "----WebKitFormBoundaryX7a"
        let file: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF]
        let body = Self.body(boundary, [
            (#"Content-Disposition: form-data; name="_csrf""#, Array("tok".utf8)),
            (#"Content-Disposition: form-data; name="kind""#, Array("companies".utf8)),
            ("Content-Disposition: form-data; name=\"file\"; filename=\"企业.xlsx\"\r\nContent-Type: application/octet-stream", file),
        ])
        let form = try #require(MultipartForm(body: body, boundary: boundary))
        #expect(form["_csrf"] == "tok")
        #expect(form["kind"] == "companies")
        #expect(form.file("file")?.fileName == "企业.xlsx")
        #expect(form.file("file")?.bytes == file)
    }

    @Test("a form sent with no file chosen has no file")
    func noFile() throws {
        let body = Self.body("b", [(#"Content-Disposition: form-data; name="file"; filename="""#, [])])
        let form = try #require(MultipartForm(body: body, boundary: "b"))
        #expect(form.file("file") == nil)
    }

    @Test("the boundary comes from the content type; anything else is not multipart")
    func boundary() {
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartForm.boundary(contentType: #"multipart/form-data; boundary="a b""#) == "a b")
        #expect(MultipartForm.boundary(contentType: "application/x-www-form-urlencoded") == nil)
    }

    @Test("a truncated body is refused")
    func truncated() {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncompanies".utf8)
        #expect(MultipartForm(body: body, boundary: "b") == nil)
    }
}
