import Foundation
import Logging
import TuodiPostgres
import TuodiStore

/// What a backup or a restore did, for the operator.
public struct BackupSummary: Sendable {
    public let file: String
    public let bytes: Int
    /// Audit entries in the copy; the chain was verified.
    public let auditEntries: Int
    public let schemaVersion: Int
}

public enum BackupError: Error, CustomStringConvertible {
    case targetExists(String)
    case targetNotEmpty(String)
    case unreadable(String)
    case tool(String, status: Int32, output: String)
    case auditBroken(seq: Int, problem: String)
    case schemaNotCurrent(String)

    public var description: String {
        switch self {
        case .targetExists(let f): "目标文件已存在：\(f)（不会覆盖）"
        case .targetNotEmpty(let d): "目标数据库不是空的：\(d)。只能恢复到一个新的空数据库。"
        case .unreadable(let f): "无法读取备份：\(f)"
        case .tool(let t, let status, let output): "\(t) 失败（退出码 \(status)）：\(output)"
        case .auditBroken(let seq, let problem): "备份中的审计链在第 \(seq) 条断裂（\(problem)）"
        case .schemaNotCurrent(let s): "备份的数据库结构与本程序不符：\(s)"
        }
    }
}

/// Online, consistent backups and restores into a fresh database. SQLite: `VACUUM INTO`, a
/// transactionally consistent copy taken while writers go on (WAL). PostgreSQL: `pg_dump`'s
/// custom format, one snapshot, and `pg_restore` in one transaction. Both check the result the
/// same way: the schema is current and the audit chain verifies.
public enum Backup {
    public static func backup(_ location: DatabaseLocation, to file: String, logger: Logger) async throws -> BackupSummary {
        guard !FileManager.default.fileExists(atPath: file) else { throw BackupError.targetExists(file) }
        switch location {
        case .sqlite:
            let store = try await AppContext.openStore(location, logger: logger)
            do {
                guard let sql = store as? SQLStore else { throw BackupError.unreadable(file) }
                try await sql.copySQLite(to: file)
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            return try await check(.sqlite(path: file), file: file, logger: logger)
        case .postgres(let url):
            try PostgresTools.run("pg_dump", url, ["--format=custom", "--no-owner", "--no-privileges", "--file", file])
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            // The dump is checked by what restores it; here, that the live database it came from verifies.
            let live = try await check(location, file: file, logger: logger)
            return BackupSummary(file: file, bytes: size, auditEntries: live.auditEntries, schemaVersion: live.schemaVersion)
        }
    }

    public static func restore(_ file: String, into location: DatabaseLocation, logger: Logger) async throws -> BackupSummary {
        guard FileManager.default.isReadableFile(atPath: file) else { throw BackupError.unreadable(file) }
        switch location {
        case .sqlite(let path):
            if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0 {
                throw BackupError.targetNotEmpty(path)
            }
            // Check the copy before it takes the target's place, then move it in at once.
            _ = try await check(.sqlite(path: file), file: file, logger: logger)
            let staged = path + ".restoring"
            try? FileManager.default.removeItem(atPath: staged)
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: file, toPath: staged)
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: staged, toPath: path)
        case .postgres(let url):
            let store = try await AppContext.openStore(location, logger: logger)
            let tables: Int
            do {
                tables = try await (store as? SQLStore)?.tableCount() ?? 0
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            guard tables == 0 else { throw BackupError.targetNotEmpty(url.database) }
            try PostgresTools.run("pg_restore", url, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", file])
        }
        return try await check(location, file: file, logger: logger)
    }

    /// The database at `location` has the schema this binary expects and an intact audit chain.
    static func check(_ location: DatabaseLocation, file: String, logger: Logger) async throws -> BackupSummary {
        let store = try await AppContext.openStore(location, logger: logger)
        do {
            let status = try await store.migrationStatus()
            guard status.isCurrent else {
                throw BackupError.schemaNotCurrent("待执行 \(status.pending.map(\.version))，已改动 \(status.changed)，未知 \(status.unknown)")
            }
            let entries = try await store.transaction { try await $0.allAuditEntries() }
            if let broken = AuditChain.firstBreak(in: entries) { throw BackupError.auditBroken(seq: broken.seq, problem: broken.problem) }
            try await store.close()
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            return BackupSummary(file: file, bytes: size, auditEntries: entries.count, schemaVersion: status.applied.last?.version ?? 0)
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// PostgreSQL's own client tools, given the connection as libpq options (our URL's `pool` is
/// not a libpq parameter) and the password through the environment, never the command line.
enum PostgresTools {
    static func run(_ tool: String, _ url: PostgresURL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(of: tool))
        let host = url.unixSocketPath.map { ($0 as NSString).deletingLastPathComponent } ?? url.host
        process.arguments = ["--host", host, "--port", String(url.port), "--username", url.username, "--dbname", url.database,
                             "--no-password"] + arguments
        var env = ProcessInfo.processInfo.environment
        if let password = url.password { env["PGPASSWORD"] = password }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BackupError.tool(tool, status: process.terminationStatus, output: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// On PATH, or in Debian's versioned folder (the server packages install the tools there).
    static func path(of tool: String) throws -> String {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versioned = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        for folder in folders + versioned where FileManager.default.isExecutableFile(atPath: "\(folder)/\(tool)") {
            return "\(folder)/\(tool)"
        }
        throw BackupError.tool(tool, status: 127, output: "找不到 \(tool)，请安装 PostgreSQL 客户端（Debian 软件包 postgresql-client）")
    }
}
