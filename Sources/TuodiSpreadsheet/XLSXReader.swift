import Foundation
import ZIPFoundation

/// Reads the first visible worksheet of an XLSX package.
enum XLSXReader {
    /// Largest unpacked size accepted for one part (zip-bomb guard).
    static let maxPartSize = 512 * 1024 * 1024

    static func read(_ bytes: [UInt8], into builder: inout TableBuilder) throws(SpreadsheetError) {
        let package = try Package(bytes)

        // _rels/.rels names the workbook part; fall back to the usual path.
        var workbookPath = "xl/workbook.xml"
        if let rootRels = try package.part("_rels/.rels") {
            let rels = RelsHandler()
            try runSAX(rootRels, part: "_rels/.rels", handler: rels)
            if let office = rels.ordered.first(where: { $0.type.hasSuffix("/officeDocument") && !$0.external }) {
                workbookPath = resolve(office.target, relativeTo: "")
            }
        }
        guard let workbookXML = try package.part(workbookPath) else {
            throw .missingPart(workbookPath)
        }
        let workbook = WorkbookHandler()
        try runSAX(workbookXML, part: workbookPath, handler: workbook)

        let baseDir = directory(of: workbookPath)
        let relsPath = (baseDir.isEmpty ? "" : baseDir + "/") + "_rels/" + fileName(of: workbookPath) + ".rels"
        let rels = RelsHandler()
        if let relsXML = try package.part(relsPath) {
            try runSAX(relsXML, part: relsPath, handler: rels)
        }
        func target(ofTypeSuffix suffix: String) -> String? {
            rels.ordered.first { $0.type.hasSuffix(suffix) && !$0.external }.map { resolve($0.target, relativeTo: baseDir) }
        }

        // First visible worksheet in workbook order (chart sheets have another type).
        var sheetPath: String?
        let worksheets: [(path: String, hidden: Bool)] = workbook.sheets.compactMap { sheet in
            guard let id = sheet.relationshipID, let rel = rels.relationships[id],
                  rel.type.hasSuffix("/worksheet"), !rel.external else { return nil }
            return (resolve(rel.target, relativeTo: baseDir), sheet.hidden)
        }
        sheetPath = worksheets.first { !$0.hidden }?.path ?? worksheets.first?.path
        if sheetPath == nil, package.has("xl/worksheets/sheet1.xml") {
            sheetPath = "xl/worksheets/sheet1.xml"  // workbook without usable relationships
        }
        guard let sheetPath else { throw .noWorksheet }
        guard let sheetXML = try package.part(sheetPath) else { throw .missingPart(sheetPath) }

        var sharedStrings: [String] = []
        let sstPath = target(ofTypeSuffix: "/sharedStrings") ?? "xl/sharedStrings.xml"
        if let sstXML = try package.part(sstPath) {
            sharedStrings = try SharedStringsParser.parse(sstXML, part: sstPath)
        }

        var dateStyles: [Bool] = []
        let stylesPath = target(ofTypeSuffix: "/styles") ?? "xl/styles.xml"
        if let stylesXML = try package.part(stylesPath) {
            let handler = StylesHandler()
            try runSAX(stylesXML, part: stylesPath, handler: handler)
            dateStyles = handler.dateStyles
        }

        let sheet = SheetParser(sharedStrings: sharedStrings, dateStyles: dateStyles, date1904: workbook.date1904)
        try sheet.parse(sheetXML, part: sheetPath, into: &builder)
    }

    // MARK: - Paths inside the package

    /// Resolves a relationship target against the source part's directory; a leading
    /// `/` means package root. `.` and `..` segments are normalised.
    static func resolve(_ target: String, relativeTo baseDir: String) -> String {
        let raw = target.hasPrefix("/") ? String(target.dropFirst()) : (baseDir.isEmpty ? target : baseDir + "/" + target)
        var parts: [Substring] = []
        for segment in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(segment)
        }
        return parts.joined(separator: "/")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// The zip archive with a case-insensitive index of its entries.
private struct Package {
    let archive: Archive
    private var index: [String: Entry] = [:]

    init(_ bytes: [UInt8]) throws(SpreadsheetError) {
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw .notZip
        }
        for entry in archive where entry.type == .file {
            var path = entry.path.replacingOccurrences(of: "\\", with: "/")
            if path.hasPrefix("/") { path.removeFirst() }
            let key = path.lowercased()
            if index[key] == nil { index[key] = entry }
        }
    }

    func has(_ path: String) -> Bool { index[path.lowercased()] != nil }

    /// The unpacked bytes of a part, or nil when the archive has no such part.
    func part(_ path: String) throws(SpreadsheetError) -> Data? {
        guard let entry = index[path.lowercased()] else { return nil }
        let limit = XLSXReader.maxPartSize
        guard entry.uncompressedSize <= UInt64(limit) else { throw .partTooLarge(path) }
        var data = Data()
        data.reserveCapacity(Int(entry.uncompressedSize))
        do {
            // The CRC is checked: a corrupt upload should fail, not yield wrong cells.
            _ = try archive.extract(entry, bufferSize: 256 * 1024, skipCRC32: false) { chunk in
                data.append(chunk)
                if data.count > limit { throw SpreadsheetError.partTooLarge(path) }
            }
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw .malformedPart(path, reason: "cannot unpack: \(error)")
        }
        return data
    }
}
