import Foundation
import Logging
import TuodiDomain
import TuodiPostgres
import TuodiSQLite
import TuodiStore

/// What every use case needs: the store, the clock and a logger. Built once by `serve`, by each
/// CLI command and by tests, so HTTP and CLI run the same code.
public struct AppContext: Sendable {
    public let store: any Store
    public let clock: any BusinessClock
    public let logger: Logger
    public let security: SecuritySettings
    /// The bound on concurrent heavy reports, shared by every request this context serves.
    public let heavyReports: HeavyReports
    /// Bearer tokens checked a moment ago, shared by every request this context serves.
    public let tokens: TokenCache
    /// Reports computed under the audit trail's current head, shared by every request this context serves.
    public let reports: ReportCache

    public init(store: any Store, clock: any BusinessClock = SystemClock(), logger: Logger = Logger(label: "tuodi"),
                security: SecuritySettings = SecuritySettings(), heavyReports: HeavyReports = HeavyReports(),
                tokens: TokenCache = TokenCache(), reports: ReportCache = ReportCache()) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.security = security
        self.heavyReports = heavyReports
        self.tokens = tokens
        self.reports = reports
    }

    /// Opens the store that `location` names. With `poolInServiceGroup`, a PostgreSQL pool does
    /// not run by itself: the caller runs `PostgresBackend.service` in its service group.
    public static func openStore(_ location: DatabaseLocation, logger: Logger, poolInServiceGroup: Bool = false) async throws -> any Store {
        switch location {
        case .sqlite(let path):
            return try SQLStore(backend: try await SQLiteBackend.open(path: path, logger: logger))
        case .postgres(let url):
            return try SQLStore(backend: PostgresBackend(url: url, logger: logger, runsItself: !poolInServiceGroup))
        }
    }

    public var districts: DistrictUseCases { DistrictUseCases(context: self) }
    public var companies: CompanyUseCases { CompanyUseCases(context: self) }
    public var identity: IdentityUseCases { IdentityUseCases(context: self) }
    public var estates: EstateUseCases { EstateUseCases(context: self) }
    public var audit: AuditUseCases { AuditUseCases(context: self) }
    public var pool: PoolUseCases { PoolUseCases(context: self) }
    public var imports: ImportUseCases { ImportUseCases(context: self) }
    public var arrangements: ArrangementUseCases { ArrangementUseCases(context: self) }
    public var selections: SelectionUseCases { SelectionUseCases(context: self) }
    public var matching: MatchUseCases { MatchUseCases(context: self) }
    public var coverage: CoverageUseCases { CoverageUseCases(context: self) }
    public var returns: ReturnUseCases { ReturnUseCases(context: self) }
}

/// The real clock. Lives here, outside the domain, which only ever receives a clock.
public struct SystemClock: BusinessClock {
    public init() {}
    public var now: Date { Date() }
}

/// Password hashing cost, login throttling and token lifetime.
public struct SecuritySettings: Sendable {
    /// bcrypt cost (work factor 2^cost). Tests lower it to keep suites fast.
    public var bcryptCost: UInt8 = 12
    public var throttle = LoginThrottle()
    public var tokenLifetimeHours = 12
    public init(bcryptCost: UInt8 = 12) { self.bcryptCost = bcryptCost }
}
