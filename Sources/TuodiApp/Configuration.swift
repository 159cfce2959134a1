import Logging
import TuodiPostgres

/// Where the data lives.
public enum DatabaseLocation: Sendable, Equatable {
    /// An SQLite file (or `:memory:`).
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Accepts `postgres://...`, `sqlite:PATH`, `sqlite://PATH` or a plain file path.
    public init?(_ raw: String) {
        if raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") {
            guard let url = PostgresURL(raw) else { return nil }
            self = .postgres(url)
        } else if raw.hasPrefix("sqlite://") {
            let path = String(raw.dropFirst("sqlite://".count))
            guard !path.isEmpty else { return nil }
            self = .sqlite(path: path)
        } else if raw.hasPrefix("sqlite:") {
            let path = String(raw.dropFirst("sqlite:".count))
            guard !path.isEmpty else { return nil }
            self = .sqlite(path: path)
        } else if !raw.isEmpty, !raw.contains("://") {
            self = .sqlite(path: raw)
        } else {
            return nil
        }
    }
}

/// Settings from the environment (12-factor). Every wrong variable is named at once.
public struct Configuration: Sendable, Equatable {
    public var database: DatabaseLocation
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    /// bcrypt work factor for new password hashes.
    public var bcryptCost: UInt8 = 12
    /// The site is reached over TLS (through a proxy): the web session cookie gets `Secure`.
    public var secureCookies = false
    /// Seconds a connection may stay silent (mid-request included) before the server closes it.
    public var httpIdleTimeoutSeconds = 30

    public static let defaultDatabase = "./var/tuodi.sqlite"
    public static let defaultAddress = "127.0.0.1:8080"

    public init(database: DatabaseLocation, httpHost: String = "127.0.0.1", httpPort: Int = 8080, logLevel: Logger.Level = .info) {
        self.database = database
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.logLevel = logLevel
    }

    /// The variables read, with what they mean (for `--help` and the README).
    public static let variables: [(name: String, meaning: String)] = [
        ("DATABASE_URL", "SQLite 数据库文件路径（默认 \(defaultDatabase)）或 postgres:// 连接串"),
        ("TUODI_HTTP_ADDRESS", "监听地址 主机:端口（默认 \(defaultAddress)；端口 0 表示任选空闲端口）"),
        ("TUODI_LOG_LEVEL", "日志级别：trace、debug、info、notice、warning、error 或 critical（默认 info）"),
        ("TUODI_BCRYPT_COST", "密码哈希的 bcrypt 强度，4–16（默认 12）"),
        ("TUODI_SECURE_COOKIES", "站点经 TLS 提供时设为 true：网页会话 cookie 带 Secure（默认 false）"),
        ("TUODI_HTTP_IDLE_TIMEOUT", "连接可静默（包括请求中途）的秒数，1–3600（默认 30）"),
    ]

    public static func fromEnvironment(_ env: [String: String]) throws(ConfigurationError) -> Configuration {
        var problems: [ConfigurationError.Problem] = []

        let rawDatabase = env["DATABASE_URL"] ?? defaultDatabase
        let database = DatabaseLocation(rawDatabase)
        if database == nil {
            problems.append(.init(variable: "DATABASE_URL",
                                  message: "应为 SQLite 文件路径或 postgres://用户[:密码]@主机[:端口]/数据库，实为“\(rawDatabase)”"))
        }

        let rawAddress = env["TUODI_HTTP_ADDRESS"] ?? defaultAddress
        let address = parseAddress(rawAddress)
        if address == nil {
            problems.append(.init(variable: "TUODI_HTTP_ADDRESS", message: "应为 主机:端口（端口 0–65535），实为“\(rawAddress)”"))
        }

        let rawLevel = env["TUODI_LOG_LEVEL"] ?? "info"
        let level = Logger.Level(rawValue: rawLevel.lowercased())
        if level == nil {
            problems.append(.init(variable: "TUODI_LOG_LEVEL",
                                  message: "应为 \(Logger.Level.allCases.map(\.rawValue).joined(separator: "、")) 之一，实为“\(rawLevel)”"))
        }

        let rawCost = env["TUODI_BCRYPT_COST"] ?? "12"
        let cost = UInt8(rawCost).flatMap { (4...16).contains($0) ? $0 : nil }
        if cost == nil {
            problems.append(.init(variable: "TUODI_BCRYPT_COST", message: "应为 4–16 的整数，实为“\(rawCost)”"))
        }

        let rawSecure = (env["TUODI_SECURE_COOKIES"] ?? "false").lowercased()
        let secure: Bool? = ["true", "1", "yes"].contains(rawSecure) ? true : ["false", "0", "no"].contains(rawSecure) ? false : nil
        if secure == nil {
            problems.append(.init(variable: "TUODI_SECURE_COOKIES", message: "应为 true 或 false，实为“\(rawSecure)”"))
        }

        let rawIdle = env["TUODI_HTTP_IDLE_TIMEOUT"] ?? "30"
        let idle = Int(rawIdle).flatMap { (1...3600).contains($0) ? $0 : nil }
        if idle == nil {
            problems.append(.init(variable: "TUODI_HTTP_IDLE_TIMEOUT", message: "应为 1–3600 的整秒数，实为“\(rawIdle)”"))
        }

        guard problems.isEmpty, let database, let address, let level, let cost, let secure, let idle else {
            throw ConfigurationError(problems: problems)
        }
        var config = Configuration(database: database, httpHost: address.host, httpPort: address.port, logLevel: level)
        config.bcryptCost = cost
        config.secureCookies = secure
        config.httpIdleTimeoutSeconds = idle
        return config
    }

    static func parseAddress(_ raw: String) -> (host: String, port: Int)? {
        guard let colon = raw.lastIndex(of: ":") else { return nil }
        let host = String(raw[..<colon]).trimmingCharacters(in: ["[", "]"])
        guard !host.isEmpty, let port = Int(raw[raw.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (host, port)
    }
}

/// The environment is wrong; `problems` names each variable.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public struct Problem: Equatable, Sendable {
        public let variable: String
        public let message: String
    }
    public let problems: [Problem]

    public var description: String {
        "环境变量配置有误：\n" + problems.map { "  \($0.variable)：\($0.message)" }.joined(separator: "\n")
    }
}
