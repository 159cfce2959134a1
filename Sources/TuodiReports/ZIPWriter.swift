// A minimal ZIP writer for the XLSX package: STORED (uncompressed) entries with CRC-32, a
// fixed timestamp and entries in the order given, so the same parts always give the same
// bytes. A workbook of a quarterly return is small; compression would buy little and cost a
// dependency. Limits: no ZIP64 (every size and offset must fit in 32 bits), ASCII names.
struct ZIPWriter {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// 1980-01-01 00:00 in MS-DOS form, the earliest a ZIP can say: no clock is read.
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    mutating func add(_ name: String, _ data: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = CRC32.checksum(data)
        let offset = UInt32(body.count)
        precondition(body.count + data.count < Int(UInt32.max), "the XLSX package outgrew a 32-bit ZIP")

        // Local file header.
        body.append(le32: 0x0403_4B50)
        body.append(le16: 20)  // version needed: 2.0
        body.append(le16: 0)  // flags
        body.append(le16: 0)  // method: stored
        body.append(le16: Self.dosTime)
        body.append(le16: Self.dosDate)
        body.append(le32: crc)
        body.append(le32: UInt32(data.count))  // compressed size
        body.append(le32: UInt32(data.count))  // uncompressed size
        body.append(le16: UInt16(nameBytes.count))
        body.append(le16: 0)  // extra field length
        body += nameBytes
        body += data

        // Its central directory record.
        directory.append(le32: 0x0201_4B50)
        directory.append(le16: 20)  // version made by: 2.0, MS-DOS attributes
        directory.append(le16: 20)
        directory.append(le16: 0)
        directory.append(le16: 0)
        directory.append(le16: Self.dosTime)
        directory.append(le16: Self.dosDate)
        directory.append(le32: crc)
        directory.append(le32: UInt32(data.count))
        directory.append(le32: UInt32(data.count))
        directory.append(le16: UInt16(nameBytes.count))
        directory.append(le16: 0)  // extra
        directory.append(le16: 0)  // comment
        directory.append(le16: 0)  // disk number
        directory.append(le16: 0)  // internal attributes
        directory.append(le32: 0)  // external attributes
        directory.append(le32: offset)
        directory += nameBytes
        count += 1
    }

    /// The archive: the entries, the central directory and its end record.
    func finish() -> [UInt8] {
        var out = body + directory
        out.append(le32: 0x0605_4B50)
        out.append(le16: 0)  // this disk
        out.append(le16: 0)  // disk with the directory
        out.append(le16: UInt16(count))
        out.append(le16: UInt16(count))
        out.append(le32: UInt32(directory.count))
        out.append(le32: UInt32(body.count))
        out.append(le16: 0)  // comment length
        return out
    }
}

/// CRC-32 as ZIP uses it (IEEE 802.3, reflected polynomial 0xEDB88320).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

private extension Array where Element == UInt8 {
    mutating func append(le16 v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func append(le32 v: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(shift)) & 0xFF)) } }
}
