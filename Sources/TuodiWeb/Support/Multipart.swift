import Foundation

/// A posted `multipart/form-data` body (RFC 7578), as a file-upload form sends it: text fields
/// and files by name. Small on purpose: the parts a browser writes (a `Content-Disposition` with
/// `name` and maybe `filename`, maybe a `Content-Type`), nothing nested.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        let name: String
        let fileName: String?
        let bytes: [UInt8]
    }

    let parts: [Part]

    /// The boundary of a `multipart/form-data` content type, or `nil` for any other type.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var value = String(piece.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty || value.count > 70 ? nil : value
        }
        return nil
    }

    /// `nil` when the body is not well-formed multipart with this boundary.
    init?(body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var position = Self.find(delimiter, in: body, from: 0) else { return nil }
        while true {
            position += delimiter.count
            // `--` after a delimiter ends the body.
            if body.count >= position + 2, body[position] == 0x2D, body[position + 1] == 0x2D { break }
            guard body.count >= position + 2, body[position] == 0x0D, body[position + 1] == 0x0A else { return nil }
            position += 2
            guard let headerEnd = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: position),
                  let next = Self.find([0x0D, 0x0A] + delimiter, in: body, from: headerEnd + 4) else { return nil }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            guard let disposition = headers.components(separatedBy: "\r\n")
                .first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = Self.parameter("name", in: disposition) else { return nil }
            parts.append(Part(name: name, fileName: Self.parameter("filename", in: disposition), bytes: Array(body[(headerEnd + 4)..<next])))
            position = next + 2
        }
        self.parts = parts
    }

    /// The text of the first field called `name`, trimmed; `nil` when absent or blank.
    subscript(_ name: String) -> String? {
        guard let part = parts.first(where: { $0.name == name && $0.fileName == nil }) else { return nil }
        let text = String(decoding: part.bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The first file called `name` that has a name or content (a form with no file chosen sends an empty part).
    func file(_ name: String) -> Part? {
        parts.first { $0.name == name && $0.fileName != nil && !($0.fileName!.isEmpty && $0.bytes.isEmpty) }
    }

    /// `key="value"` in a header line; browsers percent-escape `"` and line breaks in names.
    private static func parameter(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "; \(key)=\"") ?? header.range(of: ";\(key)=\"") else { return nil }
        let rest = header[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
