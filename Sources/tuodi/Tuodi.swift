import ArgumentParser
import TuodiApp

/// `tuodi`: the server and the command-line tool of the district housing bureaus' fallback
/// management. Every data command calls the same app layer as the HTTP API.
@main
struct TuodiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tuodi",
        abstract: "Tuodi 托底: fallback management of Shanghai's old and unmanaged residential estates.",
        discussion: "Configuration comes from the environment:\n"
            + Configuration.variables.map { "  \($0.name): \($0.meaning)" }.joined(separator: "\n"),
        subcommands: [Serve.self, Migrate.self, UserCommand.self, DistrictCommand.self, CompanyCommand.self, EstateCommand.self, AuditCommand.self, PoolCommand.self, CustodyCommand.self, ArrangementCommand.self, SelectionCommand.self, ImportCommand.self, MatchCommand.self, CoverageCommand.self, ReturnCommand.self, DemoCommand.self])
}
