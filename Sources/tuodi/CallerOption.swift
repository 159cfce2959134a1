import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain

/// Who a CLI command acts as: `--as USERNAME` or `TUODI_USER`. The app layer then checks that
/// user's role and district exactly as it does for an HTTP request.
struct CallerOption: ParsableArguments {
    @Option(name: .customLong("as"), help: "以该用户身份操作（默认取环境变量 TUODI_USER）。")
    var username: String?

    func resolve(_ context: AppContext) async throws -> Caller {
        guard let name = username ?? ProcessInfo.processInfo.environment["TUODI_USER"], !name.isEmpty else {
            throw AppError.unauthenticated("请用 --as 用户名（或环境变量 TUODI_USER）指明以哪个用户身份操作")
        }
        return try await context.identity.actor(username: name)
    }
}

/// Reads one line from standard input (a password piped in, never on the command line).
func readSecretLine() -> String? {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else { return nil }
    return line
}
