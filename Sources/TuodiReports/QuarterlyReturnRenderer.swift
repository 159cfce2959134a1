import Foundation
import TuodiDomain

// The one entry point the app layer calls to turn a quarterly return into a download. Each
// format lives in its own file; this only dispatches and names the media types.

/// The formats a quarterly return can be downloaded in.
public enum QuarterlyReturnFormat: String, CaseIterable, Sendable {
    case json, xlsx, csv, xml, html
}

public enum QuarterlyReturnRenderer {
    /// The bytes of the return in `format`. JSON: sorted keys, pretty-printed, dates as YYYY-MM-DD.
    /// The same return always gives the same bytes: nothing reads the clock or the locale.
    public static func render(_ r: QuarterlyReturn, as format: QuarterlyReturnFormat) throws -> [UInt8] {
        switch format {
        case .json: try json(r)
        case .xlsx: QuarterlyReturnXLSX.render(r)
        case .csv: QuarterlyReturnCSV.render(r)
        case .xml: try QuarterlyReturnXML.render(r)
        case .html: QuarterlyReturnHTML.render(r)
        }
    }

    public static func contentType(_ format: QuarterlyReturnFormat) -> String {
        switch format {
        case .json: "application/json"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .csv: "text/csv; charset=utf-8"
        case .xml: "application/xml"
        case .html: "text/html; charset=utf-8"
        }
    }

    public static func fileExtension(_ format: QuarterlyReturnFormat) -> String { format.rawValue }

    /// The frozen form of a submitted return, too: decoding it gives back an equal value.
    private static func json(_ r: QuarterlyReturn) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(r))
    }
}
