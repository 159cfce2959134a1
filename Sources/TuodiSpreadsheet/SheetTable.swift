/// A table read from a spreadsheet file: one header row and the data rows under it.
///
/// Every cell is a trimmed string (surrounding whitespace, including the full-width
/// space U+3000, is removed). The header is the first row that has at least one
/// non-empty cell; trailing empty header cells are dropped. Rows whose cells are all
/// empty are skipped, but the remaining rows keep their original row numbers.
public struct SheetTable: Sendable, Equatable {
    /// The header cells, trimmed, from the first non-empty row.
    public var headers: [String]
    /// The non-empty rows that follow the header row, in file order.
    public var rows: [SheetRow]

    /// Creates a table from headers and rows.
    public init(headers: [String], rows: [SheetRow]) {
        self.headers = headers
        self.rows = rows
    }
}

/// One data row of a ``SheetTable``.
public struct SheetRow: Sendable, Equatable {
    /// The 1-based row number as a person sees it: the sheet's row number for XLSX
    /// (from `<row r="…">`), the record number for CSV (a quoted field spanning several
    /// lines still counts as one row, as in Excel).
    public var number: Int
    /// The trimmed cell texts, aligned with ``SheetTable/headers``: always exactly
    /// `headers.count` entries, `""` where the cell is blank or absent. Cells to the
    /// right of the last header are dropped.
    public var cells: [String]

    /// Creates a row.
    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }
}

/// The file formats the reader understands.
public enum SpreadsheetFormat: Sendable, Equatable {
    /// Comma-separated (or tab-separated) text: UTF-8 with or without BOM, UTF-16 with
    /// BOM, or GB18030/GBK.
    case csv
    /// Office Open XML workbook (`.xlsx`, `.xlsm`), i.e. a zip archive.
    case xlsx

    /// Guesses the format from the file's content, using the name only to break ties.
    ///
    /// - Zip magic `PK\u{3}\u{4}` (or an empty zip) → ``xlsx``.
    /// - Legacy `.xls`/encrypted OLE files (`D0 CF 11 E0`), PDF, other binary content
    ///   (NUL bytes without a UTF-16 BOM) and HTML/XML text → `nil`.
    /// - Other text → ``csv``.
    /// - Empty bytes → decided by the extension (`.xlsx`/`.xlsm` → ``xlsx``, `.csv`/`.txt`/
    ///   `.tsv` → ``csv``), otherwise `nil`.
    public static func detect(fileName: String?, bytes: [UInt8]) -> SpreadsheetFormat? {
        let ext = fileName.map(fileExtension) ?? ""
        if bytes.isEmpty {
            switch ext {
            case "xlsx", "xlsm": return .xlsx
            case "csv", "txt", "tsv": return .csv
            default: return nil
            }
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return .xlsx
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) || bytes.starts(with: Array("%PDF".utf8)) {
            return nil
        }
        let utf16BOM = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        if !utf16BOM {
            if bytes.prefix(8192).contains(0) { return nil }
            // Skip a UTF-8 BOM and leading ASCII whitespace; markup is not a table we read.
            var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                i += 1
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "<") { return nil }
        }
        return .csv
    }

    private static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}

/// Why a file could not be read. ``description`` is a sentence fit to show to the
/// person who uploaded the file.
public enum SpreadsheetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no bytes, or no row with any non-empty cell.
    case emptyFile
    /// ``SpreadsheetReader/read(_:fileName:)`` could not recognise the content.
    /// The associated value names what was recognised, if anything (e.g. "legacy .xls").
    case unsupportedFormat(String?)
    /// CSV bytes that are neither valid UTF-8/UTF-16 (with BOM) nor GB18030/GBK.
    case notUTF8
    /// A quoted CSV field that is not closed, or is followed by something other than a
    /// delimiter or a line end. `row` is the 1-based record, `line` the 1-based text line.
    case malformedCSVQuote(row: Int, line: Int)
    /// The bytes given as XLSX are not a readable zip archive.
    case notZip
    /// The workbook has no worksheet to read.
    case noWorksheet
    /// A part that the workbook refers to is missing from the archive.
    case missingPart(String)
    /// A part is larger than the reader accepts when unpacked (zip-bomb guard).
    case partTooLarge(String)
    /// A part could not be unpacked or parsed.
    case malformedPart(String, reason: String)

    public var description: String {
        switch self {
        case .emptyFile:
            return "The file is empty: it has no row with any content."
        case .unsupportedFormat(let what):
            let found = what.map { " (\($0))" } ?? ""
            return "Unsupported file format\(found): upload an .xlsx workbook or a CSV file."
        case .notUTF8:
            return "The CSV file is not UTF-8 text (nor GB18030/GBK): save it as \"CSV UTF-8\" and upload again."
        case .malformedCSVQuote(let row, let line):
            return "Malformed CSV quote at row \(row) (line \(line)): a quoted field must be closed by \" followed by a comma or the end of the line."
        case .notZip:
            return "The file is not a valid .xlsx workbook (not a zip archive)."
        case .noWorksheet:
            return "The workbook contains no worksheet."
        case .missingPart(let path):
            return "The workbook is damaged: part \(path) is missing."
        case .partTooLarge(let path):
            return "The workbook is too large to read: part \(path) exceeds the size limit."
        case .malformedPart(let path, let reason):
            return "The workbook is damaged: part \(path) could not be read (\(reason))."
        }
    }
}
