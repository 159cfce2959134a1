import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare HTTP/1.1 client over a loopback socket, for what URLSession cannot do: send a body of
/// any size lazily (the same small buffer again and again, so a 1 GiB body costs the test 64 KiB),
/// and stop sending as soon as the server answers.
enum RawHTTP {
    struct Outcome {
        /// The response status, or nil when the server closed without answering.
        let status: Int?
        /// The whole response as far as it was read (head and, for `Content-Length` answers, body).
        let response: String
        /// Body bytes written before the answer arrived.
        let bytesSent: Int
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// POSTs `totalBytes` of body to `path`, declared with `Content-Length` or sent in chunks
    /// (`chunked`). Sending stops when the response starts arriving.
    static func post(_ base: URL, path: String, contentType: String = "application/json", headers: [String: String] = [:],
                     totalBytes: Int, chunked: Bool, deadline: TimeInterval = 120) throws -> Outcome {
        let fd = try connect(port: base.port ?? 80)
        defer { close(fd) }
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n"
        head += chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: \(totalBytes)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try sendAll(fd, Array(head.utf8))

        // A JSON string that never ends: the start of a valid object, then one letter repeated.
        let prefix = Array(#"{"code":""#.utf8)
        let filler = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
        let crlf = Array("\r\n".utf8)
        var sent = 0
        let stop = Date().addingTimeInterval(deadline)
        while sent < totalBytes, Date() < stop {
            var p = pollfd(fd: fd, events: Int16(POLLIN | POLLOUT), revents: 0)
            guard poll(&p, 1, 1000) >= 0 else { throw Failure(description: "poll: \(errno)") }
            if p.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { break }   // the server has answered (or hung up)
            guard p.revents & Int16(POLLOUT) != 0 else { continue }
            var piece = sent == 0 ? prefix + filler.dropFirst(prefix.count) : filler
            piece = Array(piece.prefix(totalBytes - sent))
            try sendAll(fd, chunked ? Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + crlf : piece)
            sent += piece.count
        }
        if chunked, sent >= totalBytes { try? sendAll(fd, Array("0\r\n\r\n".utf8)) }
        let response = readResponse(fd, until: stop)
        let status = response.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) }
        return Outcome(status: status, response: response, bytesSent: sent)
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw Failure(description: "connect: \(errno)") }
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Failure(description: "send: \(errno)")
            }
            offset += n
        }
    }

    /// Reads until the head is complete and, when it declares a length, the body too.
    static func readResponse(_ fd: Int32, until stop: Date) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while Date() < stop {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 1000) <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data += buffer[..<n]
            let text = String(decoding: data, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let headText = text[..<end.lowerBound].lowercased()
                let length = headText.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if data.count - (String(text[..<end.upperBound]).utf8.count) >= length { break }
            }
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension RunningServer {
    /// The server process's peak resident memory so far (`VmHWM`), in bytes.
    var peakResidentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let kB = line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? -1
        return kB * 1024
    }
}
