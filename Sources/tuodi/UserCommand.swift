import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users (the first admin, then administrators only).",
        subcommands: [Add.self, List.self, Deactivate.self])

    static let headers = ["username", "displayName", "role", "unit", "active"]
    static func row(_ u: UserView) -> [String] { [u.username, u.displayName, u.role.rawValue, u.unit ?? "", String(u.active)] }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. With no user yet, creates the first admin without --as.",
            discussion: "The password is read from standard input (one line), never from the command line.")
        @Option(help: "Login name: 3–32 lower-case letters, digits, . _ -") var username: String
        @Option(help: "Full name.") var displayName: String
        @Option(help: "admin, districtClerk, districtApprover or municipalAnalyst.") var role: String
        @Option(help: "Reporting unit code, for district roles.") var unit: String?
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                guard let password = readSecretLine() else {
                    throw AppError.validation([FieldError(field: "password", code: "required", message: "请从标准输入提供密码（一行）")])
                }
                let draft = UserDraft(username: username, displayName: displayName, role: role, unit: unit, password: password)
                let noUsers = try await context.store.transaction { try await $0.userCount() } == 0
                let user = noUsers && caller.username == nil
                    ? try await context.identity.bootstrapAdmin(draft)
                    : try await context.identity.create(draft, by: try await caller.resolve(context))
                print(try Listing(headers: UserCommand.headers, rows: [UserCommand.row(user)]).render(format) { try jsonEncoder.encode(user) })
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let users = try await context.identity.list(by: try await caller.resolve(context))
                print(try Listing(headers: UserCommand.headers, rows: users.map(UserCommand.row)).render(format) { try jsonEncoder.encode(users) })
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deactivate a user; their tokens stop working.")
        @Argument var username: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let user = try await context.identity.deactivate(username: username, reason: reason, by: try await caller.resolve(context))
                print("已停用：\(user.username)")
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read and verify the tamper-evident audit trail.",
        subcommands: [Verify.self, List.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; exit 1 and name the first broken entry if any.")
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let result = try await context.audit.verify(by: try await caller.resolve(context))
                if let broken = result.firstBreak {
                    printError("审计链断裂：第 \(broken.seq) 条（\(broken.problem)）。共检查 \(result.checked) 条。")
                    throw ExitCode.failure
                }
                print("审计链完整：共 \(result.checked) 条。")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List audit entries.")
        @Option var entity: String?
        @Option var entityId: String?
        @Option var actor: String?
        @Option(help: "Recorded at or after (ISO 8601).") var from: String?
        @Option(help: "Recorded at or before (ISO 8601).") var to: String?
        @Option var limit = 200
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                var f = AuditFilter()
                f.entity = entity; f.entityID = entityId; f.actor = actor; f.from = from; f.to = to; f.limit = limit
                let entries = try await context.audit.list(f, by: try await caller.resolve(context))
                let rows = entries.map { [String($0.seq), $0.recordedAt, $0.actor, $0.action, $0.entity, $0.entityID, $0.reason ?? ""] }
                let listing = Listing(headers: ["seq", "recordedAt", "actor", "action", "entity", "entityId", "reason"], rows: rows)
                print(try listing.render(format) {
                    try jsonEncoder.encode(rows.map { Dictionary(uniqueKeysWithValues: zip(listing.headers, $0)) })
                })
            }
        }
    }
}
