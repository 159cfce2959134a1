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
        ("DATABASE_URL", "an SQLite path (default \(defaultDatabase)) or a postgres:// URL"),
        ("TUODI_HTTP_ADDRESS", "host:port to listen on (default \(defaultAddress); port 0 picks a free port)"),
        ("TUODI_LOG_LEVEL", "trace, debug, info, notice, warning, error or critical (default info)"),
        ("TUODI_BCRYPT_COST", "bcrypt work factor for password hashes, 4–16 (default 12)"),
        ("TUODI_HTTP_IDLE_TIMEOUT", "seconds a connection may stay silent, mid-request included, 1–3600 (default 30)"),
    ]

    public static func fromEnvironment(_ env: [String: String]) throws(ConfigurationError) -> Configuration {
        var problems: [ConfigurationError.Problem] = []

        let rawDatabase = env["DATABASE_URL"] ?? defaultDatabase
        let database = DatabaseLocation(rawDatabase)
        if database == nil {
            problems.append(.init(variable: "DATABASE_URL",
                                  message: "expected an SQLite file path or postgres://user[:password]@host[:port]/database, got \"\(rawDatabase)\""))
        }

        let rawAddress = env["TUODI_HTTP_ADDRESS"] ?? defaultAddress
        let address = parseAddress(rawAddress)
        if address == nil {
            problems.append(.init(variable: "TUODI_HTTP_ADDRESS", message: "expected host:port with a port 0–65535, got \"\(rawAddress)\""))
        }

        let rawLevel = env["TUODI_LOG_LEVEL"] ?? "info"
        let level = Logger.Level(rawValue: rawLevel.lowercased())
        if level == nil {
            problems.append(.init(variable: "TUODI_LOG_LEVEL",
                                  message: "expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(rawLevel)\""))
        }

        let rawCost = env["TUODI_BCRYPT_COST"] ?? "12"
        let cost = UInt8(rawCost).flatMap { (4...16).contains($0) ? $0 : nil }
        if cost == nil {
            problems.append(.init(variable: "TUODI_BCRYPT_COST", message: "expected a whole number 4–16, got \"\(rawCost)\""))
        }

        let rawIdle = env["TUODI_HTTP_IDLE_TIMEOUT"] ?? "30"
        let idle = Int(rawIdle).flatMap { (1...3600).contains($0) ? $0 : nil }
        if idle == nil {
            problems.append(.init(variable: "TUODI_HTTP_IDLE_TIMEOUT", message: "expected whole seconds 1–3600, got \"\(rawIdle)\""))
        }

        guard problems.isEmpty, let database, let address, let level, let cost, let idle else { throw ConfigurationError(problems: problems) }
        var config = Configuration(database: database, httpHost: address.host, httpPort: address.port, logLevel: level)
        config.bcryptCost = cost
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
        "invalid configuration:\n" + problems.map { "  \($0.variable): \($0.message)" }.joined(separator: "\n")
    }
}
