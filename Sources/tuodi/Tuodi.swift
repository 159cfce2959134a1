import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import TuodiApp

/// `tuodi`: the server and the command-line tool of the district housing bureaus' fallback
/// management. Every data command calls the same app layer as the HTTP API.
struct TuodiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tuodi",
        abstract: "托底：上海市老旧小区无人管理托底机制的服务程序与命令行工具。",
        discussion: "配置取自环境变量：\n"
            + Configuration.variables.map { "  \($0.name)：\($0.meaning)" }.joined(separator: "\n")
            + "\n\n退出码：0 成功；64 命令行有误；65 输入被拒绝（未写入任何数据）；69 数据库不可用或结构不是最新；"
            + "71 服务无法监听地址；75 数据库反复中止本次修改，请重试；77 无权操作；78 环境变量有误。",
        version: TuodiVersion.current,
        subcommands: [Serve.self, Migrate.self, BackupCommand.self, RestoreCommand.self, UserCommand.self, DistrictCommand.self,
                      CompanyCommand.self, EstateCommand.self, AuditCommand.self, PoolCommand.self, CustodyCommand.self,
                      ArrangementCommand.self, SelectionCommand.self, ImportCommand.self, MatchCommand.self, CoverageCommand.self,
                      ReturnCommand.self, DemoCommand.self, MaintenanceCommand.self])
}

/// The entry point: ArgumentParser parses, our commands run, and every message ArgumentParser
/// itself prints (help, usage errors) goes through `CLIText` first.
@main
enum Main {
    static func main() async {
        // Line-buffered even when redirected, so `make run | tee` shows the logins at once.
        setvbuf(stdout, nil, _IOLBF, 0)
        do {
            var command = try TuodiCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = TuodiCommand.exitCode(for: error)
            let message = CLIText.chinese(TuodiCommand.fullMessage(for: error))
            if !message.isEmpty {
                if code == .success { print(message) } else { printError(message) }
            }
            exit(code.rawValue)
        }
    }
}
