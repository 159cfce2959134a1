import ArgumentParser
import Foundation
import Hummingbird
import NIOCore
import TuodiApp
import TuodiHTTP
import TuodiPostgres
import TuodiStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API on TUODI_HTTP_ADDRESS until SIGTERM or SIGINT.")

    @Flag(help: "Apply pending migrations first (otherwise a schema that is not current is refused).")
    var migrate = false

    @Flag(help: "Load the demo data when the database holds no company yet.")
    var demoData = false

    func run() async throws {
        try await withContext(requireCurrentSchema: false, poolInServiceGroup: true) { context, config in
            // The PostgreSQL pool runs in the application's service group, beside the server, and
            // shuts down with it; the checks below run once it has started, before the server listens.
            let pool = ((context.store as? SQLStore)?.backend as? PostgresBackend)?.service
            let host = config.httpHost
            let app = try buildApplication(context: context, config: config, services: pool.map { [$0] } ?? [],
                                           beforeServerStarts: { try await prepare(context, config) }) { channel in
                // The bound port, which differs from the configured one when that is 0.
                let port = channel.localAddress?.port ?? config.httpPort
                let line = "Tuodi 托底 is serving on http://\(host):\(port)  (API: /api/v1, spec: /openapi.yaml; Ctrl-C stops)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            // Hummingbird runs a ServiceGroup (swift-service-lifecycle) that shuts down
            // gracefully on SIGTERM and SIGINT.
            try await app.runService()
        }
    }

    /// Migrations when asked, the schema check, the demo data when asked.
    func prepare(_ context: AppContext, _ config: TuodiApp.Configuration) async throws {
        if migrate {
            let applied = try await context.store.migrate()
            for m in applied { context.logger.info("migration applied", metadata: ["migration": "\(m.name)"]) }
        }
        let status = try await context.store.migrationStatus()
        guard status.isCurrent else {
            throw AppError.unavailable("数据库结构不是最新版本，拒绝启动。请先运行 tuodi migrate，或以 tuodi serve --migrate 启动。"
                + (status.changed.isEmpty ? "" : "（已执行的迁移被改动：\(status.changed)）"))
        }
        if demoData {
            if try await DemoData.loadIfEmpty(context) { context.logger.info("demo data loaded into the empty database") }
            let accounts = DemoData.users.map { "\($0.username)（\($0.name)）" }.joined(separator: "、")
            print("演示账号 Demo logins: \(accounts)；密码 password: \(DemoData.password)")
            print("  curl -s -X POST http://\(config.httpHost):\(config.httpPort)/api/v1/auth/login -H 'content-type: application/json' "
                  + "-d '{\"username\":\"hp.clerk\",\"password\":\"\(DemoData.password)\"}'")
        }
    }
}
