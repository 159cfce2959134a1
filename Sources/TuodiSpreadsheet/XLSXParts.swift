import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

// SAX handlers (Foundation `XMLParser`) for the small parts of an XLSX package: the
// workbook, relationships and styles. The large parts (worksheet, shared strings) go
// through XMLScanner (see there for why).
// Element names are matched on their local name, so prefixed documents
// (`<x:c>` as written by some .NET tools) work too.
// Each handler conforms to XMLParserDelegate directly (no shared base class): protocol
// witnesses in a base class would not dispatch to subclass overrides.

/// A handler that may stop the parser on purpose once it has what it needs.
protocol SAXHandler: XMLParserDelegate {
    var stoppedEarly: Bool { get }
}

/// Runs `XMLParser` over `data` with `handler`; external entities are never resolved.
func runSAX(_ data: Data, part: String, handler: some SAXHandler) throws(SpreadsheetError) {
    let parser = XMLParser(data: data)
    parser.shouldProcessNamespaces = false
    parser.shouldReportNamespacePrefixes = false
    parser.shouldResolveExternalEntities = false
    parser.delegate = handler
    let ok = parser.parse()
    // On Linux, parse() can return true after a well-formedness error (e.g. a
    // truncated document), so parserError is checked as well.
    if (!ok || parser.parserError != nil), !handler.stoppedEarly {
        let code = parser.parserError.map { ($0 as NSError).code } ?? -1
        throw .malformedPart(part, reason: "XML error \(code) at line \(parser.lineNumber)")
    }
}

/// Local part of a qualified XML name (`x:row` → `row`).
@inline(__always)
func localName(_ qName: String) -> String {
    guard let colon = qName.utf8.lastIndex(of: UInt8(ascii: ":")) else { return qName }
    return String(qName[qName.utf8.index(after: colon)...])
}

/// Decodes the `_xHHHH_` escapes Excel uses for control characters in text
/// (e.g. `_x000D_` for a carriage return); `_x005F_` escapes a literal underscore.
func decodeOOXMLEscapes(_ s: String) -> String {
    guard s.utf8.count >= 7, s.contains("_x") else { return s }
    let u = Array(s.utf8)
    var out = [UInt8]()
    out.reserveCapacity(u.count)
    var i = 0
    func hex(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }
    while i < u.count {
        if u[i] == UInt8(ascii: "_"), i + 6 < u.count, u[i + 1] == UInt8(ascii: "x"), u[i + 6] == UInt8(ascii: "_"),
           let a = hex(u[i + 2]), let b = hex(u[i + 3]), let c = hex(u[i + 4]), let d = hex(u[i + 5]),
           let scalar = Unicode.Scalar(a << 12 | b << 8 | c << 4 | d) {
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            i += 7
            continue
        }
        out.append(u[i])
        i += 1
    }
    return String(decoding: out, as: UTF8.self)
}

// MARK: - Relationships (`*.rels`)

final class RelsHandler: NSObject, SAXHandler {
    struct Relationship { var type: String; var target: String; var external: Bool }
    var relationships: [String: Relationship] = [:]
    var ordered: [Relationship] = []
    let stoppedEarly = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        guard localName(elementName) == "Relationship",
              let id = attributes["Id"], let target = attributes["Target"] else { return }
        let rel = Relationship(type: attributes["Type"] ?? "", target: target,
                               external: attributes["TargetMode"] == "External")
        relationships[id] = rel
        ordered.append(rel)
    }
}

// MARK: - Workbook (`xl/workbook.xml`)

final class WorkbookHandler: NSObject, SAXHandler {
    struct Sheet { var name: String; var relationshipID: String?; var hidden: Bool }
    var sheets: [Sheet] = []
    var date1904 = false
    private(set) var stoppedEarly = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch localName(elementName) {
        case "workbookPr":
            let v = attributes["date1904"]?.lowercased()
            date1904 = v == "1" || v == "true"
        case "sheet":
            // The relationship id is `r:id`, but the prefix is the writer's choice.
            let rid = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value
            let state = attributes["state"] ?? "visible"
            sheets.append(Sheet(name: attributes["name"] ?? "", relationshipID: rid, hidden: state != "visible"))
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        if localName(elementName) == "sheets" {
            stoppedEarly = true
            parser.abortParsing()
        }
    }
}

// MARK: - Styles (`xl/styles.xml`)

final class StylesHandler: NSObject, SAXHandler {
    private var customFormats: [Int: String] = [:]
    private var xfFormatIDs: [Int] = []
    private var inCellXfs = false
    private var inNumFmts = false
    private(set) var stoppedEarly = false

    /// For each cell style index (`s` attribute), whether its number format is a date.
    var dateStyles: [Bool] {
        xfFormatIDs.map { id in
            if let code = customFormats[id] { return CellValues.isDateFormatCode(code) }
            return CellValues.isBuiltinDateFormat(id)
        }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch localName(elementName) {
        case "numFmts": inNumFmts = true
        case "numFmt" where inNumFmts:
            if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                customFormats[id] = code
            }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            xfFormatIDs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        switch localName(elementName) {
        case "numFmts": inNumFmts = false
        case "cellXfs":
            inCellXfs = false
            stoppedEarly = true  // numFmts precede cellXfs; nothing else is needed
            parser.abortParsing()
        default: break
        }
    }
}

