import Crypto
import Foundation
import TuodiMigrations

/// One versioned SQL file.
public struct Migration: Sendable, Equatable {
    /// The number at the start of the file name (0001 → 1).
    public let version: Int
    /// The file name without the dialect suffix, e.g. `0001_foundation`.
    public let name: String
    /// The SQL text.
    public let sql: String
    /// SHA-256 of the file's bytes, hex; recorded when applied so a later edit is noticed.
    public let checksum: String

    public init(name: String, sql: String) throws(MigrationError) {
        guard let version = Int(name.prefix(while: \.isNumber)), name.prefix(4).allSatisfy(\.isNumber) else {
            throw .badFileName(name)
        }
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = Hex.sha256(Array(sql.utf8))
    }

    /// The migrations compiled into this binary for `kind`, checked to be numbered 1, 2, 3, ...
    public static func embedded(for kind: StoreKind) throws(MigrationError) -> [Migration] {
        let files = kind == .sqlite ? EmbeddedMigrations.sqlite : EmbeddedMigrations.postgres
        var result: [Migration] = []
        for file in files {
            result.append(try Migration(name: file.name, sql: String(decoding: file.bytes, as: UTF8.self)))
        }
        try checkSequence(result)
        return result
    }

    /// Versions must run 1, 2, 3, ... in order, with no gap and no repeat.
    public static func checkSequence(_ migrations: [Migration]) throws(MigrationError) {
        for (index, m) in migrations.enumerated() where m.version != index + 1 {
            throw .outOfSequence(expected: index + 1, found: m.name)
        }
    }
}

/// A migration recorded in the database as applied.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let checksum: String
    public let appliedAt: Date
}

/// What `tuodi migrate --status` reports.
public struct MigrationStatus: Sendable, Equatable {
    public let applied: [AppliedMigration]
    public let pending: [Migration]
    /// Applied versions whose file in this binary differs from what was applied.
    public let changed: [Int]
    /// Applied versions this binary does not know (the database is newer than the binary).
    public let unknown: [Int]

    /// Nothing pending, nothing changed, nothing unknown: safe to serve.
    public var isCurrent: Bool { pending.isEmpty && changed.isEmpty && unknown.isEmpty }
}

public enum MigrationError: Error, Equatable, Sendable, CustomStringConvertible {
    case badFileName(String)
    case outOfSequence(expected: Int, found: String)
    case changedAfterApply(version: Int, name: String)
    case unknownApplied(versions: [Int])

    public var description: String {
        switch self {
        case .badFileName(let n): "迁移文件名须以 4 位版本号开头：\(n)"
        case .outOfSequence(let e, let f): "迁移 \(f) 的版本号不连续：应为 \(e)"
        case .changedAfterApply(let v, let n):
            "迁移 \(n)（版本 \(v)）在执行后被改动；请新增一个迁移，而不要修改已执行的迁移"
        case .unknownApplied(let vs):
            "数据库中有本程序不认识的迁移（版本 \(vs.map(String.init).joined(separator: "、"))）；请使用更新版本的 tuodi"
        }
    }
}

/// Splits a migration file into statements, because neither SQLite's prepare nor PostgreSQL's
/// extended protocol runs more than one statement per call.
///
/// A statement ends at a `;` outside quotes, comments and dollar-quoted bodies. In a
/// `CREATE TRIGGER` statement only the `;` right after `END` ends it (SQLite trigger bodies hold
/// several statements).
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var chars = Array(script)[...]
        var isTrigger = false
        var lastWord = ""
        var word = ""

        func flushWord() {
            if !word.isEmpty {
                lastWord = word.uppercased()
                if lastWord == "TRIGGER", current.uppercased().range(of: #"^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER"#, options: .regularExpression) != nil {
                    isTrigger = true
                }
                word = ""
            }
        }

        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case "-" where chars.first == "-":
                flushWord()
                while let n = chars.first, n != "\n" { chars = chars.dropFirst() }
            case "/" where chars.first == "*":
                flushWord()
                chars = chars.dropFirst()
                while !chars.isEmpty, !(chars.first == "*" && chars.dropFirst().first == "/") { chars = chars.dropFirst() }
                chars = chars.dropFirst(2)
            case "'", "\"":
                flushWord()
                current.append(c)
                while let n = chars.first {
                    chars = chars.dropFirst()
                    current.append(n)
                    if n == c {
                        if chars.first == c { current.append(c); chars = chars.dropFirst() } else { break }
                    }
                }
            case "$":
                flushWord()
                // A dollar quote: $tag$ ... $tag$ (PostgreSQL function bodies).
                let tagBody = chars.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
                if chars.dropFirst(tagBody.count).first == "$" {
                    let tag = "$" + String(tagBody) + "$"
                    current += tag
                    chars = chars.dropFirst(tagBody.count + 1)
                    let text = String(chars)
                    if let end = text.range(of: tag) {
                        current += text[..<end.upperBound]
                        chars = chars.dropFirst(text.distance(from: text.startIndex, to: end.upperBound))
                    } else {
                        current += text
                        chars = chars.dropFirst(chars.count)
                    }
                } else {
                    current.append(c)
                }
            case ";":
                flushWord()
                if isTrigger && lastWord != "END" {
                    current.append(c)
                } else {
                    let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !trimmed.isEmpty { statements.append(trimmed) }
                    current = ""
                    isTrigger = false
                    lastWord = ""
                }
            default:
                if c.isLetter || c.isNumber || c == "_" { word.append(c) } else { flushWord() }
                current.append(c)
            }
        }
        let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { statements.append(trimmed) }
        return statements
    }
}
