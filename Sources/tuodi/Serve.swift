import ArgumentParser
import CoreMetrics
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import TuodiApp
import TuodiHTTP
import TuodiPostgres
import TuodiStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", 
        abstract: "在 TUODI_HTTP_ADDRESS 上提供 HTTP 接口和网页，直到收到 SIGTERM 或 SIGINT。")

    @Flag(help: "先执行待执行的迁移（否则拒绝启动于非最新的数据库结构）。")
    var migrate = false

    @Flag(help: "数据库中还没有企业时，载入演示数据。")
    var demoData = false

    func run() async throws {
        let registry = PrometheusCollectorRegistry()
        Self.bootstrapMetrics(registry)
        try await withContext(requireCurrentSchema: false, poolInServiceGroup: true) { context, config in
            // The PostgreSQL pool runs in the application's service group, beside the server, and
            // shuts down with it; `prepare` runs once it has started, before the server listens.
            let pool = ((context.store as? SQLStore)?.backend as? PostgresBackend)?.service
            let host = config.httpHost
            let inFlight = InFlightRequests()
            let operations = ServerOperations(metrics: MetricsEndpoint(registry: registry), inFlight: inFlight)
            let app = try buildApplication(context: context, config: config, operations: operations, services: pool.map { [$0] } ?? [],
                                           beforeServerStarts: { try await prepare(context) }) { channel in
                // The bound port, which differs from the configured one when that is 0.
                let port = channel.localAddress?.port ?? config.httpPort
                print("托底服务已启动：http://\(host):\(port)（网页 /，接口 /api/v1，规范 /openapi.yaml，指标 /metrics；Ctrl-C 停止）")
                if demoData {
                    let accounts = DemoData.users.map { "\($0.username)（\($0.name)）" }.joined(separator: "、")
                    print("演示账号：\(accounts)；密码：\(DemoData.password)")
                }
            }
            let logger = context.logger
            // A ServiceGroup (swift-service-lifecycle) shuts down gracefully on SIGTERM and SIGINT;
            // the reporter says what the shutdown waits for.
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: app),
                           .init(service: ShutdownReporter(inFlight: inFlight, logger: logger), successTerminationBehavior: .ignore)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch {
                if let reason = Self.cannotListen(error) {
                    printError("无法在 \(host):\(config.httpPort) 上监听：\(reason)。请换一个 TUODI_HTTP_ADDRESS，或先停止占用该端口的程序。")
                    throw ExitCode(ExitStatus.cannotListen)
                }
                throw error
            }
            logger.info("stopped", metadata: ["requests.served": .stringConvertible(inFlight.served)])
        }
    }

    /// Migrations when asked, the schema check, the demo data when asked, the gauges that do not change.
    func prepare(_ context: AppContext) async throws {
        if migrate {
            let applied = try await context.store.migrate()
            for m in applied { context.logger.info("migration applied", metadata: ["migration": "\(m.name)"]) }
        }
        let status = try await context.store.migrationStatus()
        guard status.isCurrent else {
            throw AppError.unavailable("数据库结构不是最新版本，拒绝启动。请先运行 tuodi migrate，或以 tuodi serve --migrate 启动。"
                + (status.changed.isEmpty ? "" : "（已执行的迁移被改动：\(status.changed)）"))
        }
        if demoData, try await DemoData.loadIfEmpty(context) {
            context.logger.info("demo data loaded into the empty database")
        }
        if let sql = context.store as? SQLStore {
            Gauge(label: "tuodi_db_pool_size", dimensions: [("backend", sql.kind.rawValue)]).record(sql.backend.poolSize)
        }
        Gauge(label: "tuodi_build_info", dimensions: [("version", TuodiVersion.current)]).record(1)
    }

    /// Metric names from libraries (`hb.requests`) become Prometheus names (`hb_requests`).
    static func bootstrapMetrics(_ registry: PrometheusCollectorRegistry) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (MetricsEndpoint.sanitize(name), labels.map { (MetricsEndpoint.sanitize($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
    }

    /// The reason, in Chinese, when `error` says the address cannot be bound.
    static func cannotListen(_ error: any Error) -> String? {
        guard let io = error as? IOError else { return nil }
        switch io.errnoCode {
        case EADDRINUSE: return "端口已被占用"
        case EADDRNOTAVAIL: return "本机没有这个地址"
        case EACCES: return "没有权限使用该端口"
        default: return nil
        }
    }
}

/// Logs, when the shutdown begins, how many requests the server still drains.
struct ShutdownReporter: Service {
    let inFlight: InFlightRequests
    let logger: Logger

    func run() async throws {
        do { try await gracefulShutdown() } catch { return }  // cancelled: the group ended for another reason
        logger.info("shutting down: draining requests in flight", metadata: ["requests.in_flight": .stringConvertible(inFlight.current)])
    }
}
