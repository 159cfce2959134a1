import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels
import TuodiStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "管理用户（先建第一个管理员，之后仅管理员可操作）。",
        subcommands: [Add.self, List.self, Deactivate.self])

    static let headers = ["用户名", "姓名", "角色", "报告单位", "启用"]
    static func row(_ u: UserView) -> [String] { [u.username, u.displayName, u.role.label, u.unit ?? "", Labels.yesNo(u.active)] }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", 
            abstract: "新建用户。尚无任何用户时，不带 --as 新建第一个管理员。",
            discussion: "密码从标准输入读取（一行），从不写在命令行上。")
        @Option(help: "登录名：3–32 个小写字母、数字或 . _ -") var username: String
        @Option(help: "姓名。") var displayName: String
        @Option(help: "角色：admin（系统管理员）、districtClerk（区经办人）、districtApprover（区审核人）或 municipalAnalyst（市级分析员）。") var role: String
        @Option(help: "区级角色的报告单位代码。") var unit: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                guard let password = readSecretLine() else {
                    throw AppError.validation([FieldError(field: "password", code: "required", message: "请从标准输入提供密码（一行）")])
                }
                let draft = UserDraft(username: username, displayName: displayName, role: role, unit: unit, password: password)
                let noUsers = try await context.store.read { try await $0.userCount() } == 0
                let user = noUsers && caller.username == nil
                    ? try await context.identity.bootstrapAdmin(draft)
                    : try await context.identity.create(draft, by: try await caller.resolve(context))
                try Listing(headers: UserCommand.headers, rows: [UserCommand.row(user)]).print(format) { try jsonEncoder.encode(user) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出用户。")
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let users = try await context.identity.list(by: try await caller.resolve(context))
                try Listing(headers: UserCommand.headers, rows: users.map(UserCommand.row)).print(format) { try jsonEncoder.encode(users) }
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deactivate", abstract: "停用用户；其令牌随即失效。")
        @Argument(help: "用户名。") var username: String
        @Option(help: "原因（记入审计）。") var reason: String
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
        commandName: "audit", abstract: "查阅并校验防篡改的审计记录。",
        subcommands: [Verify.self, List.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", 
            abstract: "重新计算哈希链；如有断裂，指出第一条并以退出码 1 结束。")
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
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出审计记录。")
        @Option(help: "记录类型，如 estate、arrangement。") var entity: String?
        @Option(help: "记录编号。") var entityId: String?
        @Option(help: "操作人用户名。") var actor: String?
        @Option(help: "不早于（ISO 8601）。") var from: String?
        @Option(help: "不晚于（ISO 8601）。") var to: String?
        @Option(help: "最多条数。") var limit = 200
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                var f = AuditFilter()
                f.entity = entity; f.entityID = entityId; f.actor = actor; f.from = from; f.to = to; f.limit = limit
                let entries = try await context.audit.list(f, by: try await caller.resolve(context))
                let rows = entries.map { [String($0.seq), Display.beijingTime(iso: $0.recordedAt), $0.actor, Labels.actions[$0.action],
                                          Labels.entities[$0.entity], $0.entityID, $0.reason ?? ""] }
                let listing = Listing(headers: ["序号", "时间（北京时间）", "操作人", "操作", "记录类型", "记录编号", "原因"], rows: rows)
                try listing.print(format) {
                    let keys = ["seq", "recordedAt", "actor", "action", "entity", "entityId", "reason"]
                    return try jsonEncoder.encode(entries.map { e in
                        Dictionary(uniqueKeysWithValues: zip(keys, [String(e.seq), e.recordedAt, e.actor, e.action, e.entity, e.entityID, e.reason ?? ""]))
                    })
                }
            }
        }
    }
}
