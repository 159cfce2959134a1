import TuodiApp
import TuodiDomain
import TuodiLabels

/// 用户 (administrators): every account with its role and unit; add one; deactivate one with a
/// reason; set a new password for one who forgot theirs (their sessions end).
struct UsersPage: PageModel {
    static let template = "users"

    struct Row: Sendable {
        let username: String
        let displayName: String
        let role: String
        let unit: String
        let active: Bool
        let deactivateAction: String?
        let resetAction: String?
    }

    let chrome: Chrome
    let csrf: String
    let rows: [Row]
    let roles: [Option]
    let units: [Option]
    let username: String
    let displayName: String
    let notice: String?
    let errors: ErrorSummary?

    init(session: WebSession, users: [UserView], form: FormData? = nil, notice: String? = nil, errors: FormErrors? = nil) {
        chrome = .signedIn(session, title: "用户", section: .users)
        csrf = session.csrf
        rows = users.map { u in
            Row(username: u.username, displayName: u.displayName, role: u.role.label,
                unit: u.unit.flatMap { ReportingUnit.named($0)?.name } ?? "—", active: u.active,
                deactivateAction: u.active && u.username != session.caller.username ? "/users/\(EstatePaths.escape(u.username))/deactivate" : nil,
                resetAction: u.active ? "/users/\(EstatePaths.escape(u.username))/password" : nil)
        }
        roles = Option.list(Labels.roles, selected: form?["role"], any: "请选择")
        units = Option.list(KeyedLabels(ReportingUnit.all.map { ($0.code, $0.name) }), selected: form?["unit"], any: "不属于某个单位")
        username = form?.raw("username") ?? ""
        displayName = form?.raw("displayName") ?? ""
        self.notice = notice
        self.errors = ErrorSummary(errors)
    }

    static func draft(_ form: FormData) -> UserDraft {
        UserDraft(username: form["username"] ?? "", displayName: form["displayName"] ?? "", role: form["role"] ?? "",
                  unit: form["unit"], password: form.raw("password"))
    }
}
