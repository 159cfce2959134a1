import TuodiApp
import TuodiDomain
import TuodiLabels

/// What the layout shows around every page: the title, who is signed in, the menu, the form
/// token for the logout button.
struct Chrome: Sendable {
    struct User: Sendable {
        let username: String
        let role: String
        let unit: String?
        let csrf: String
    }

    struct NavItem: Sendable {
        let label: String
        let href: String
        let current: Bool
    }

    let title: String
    let user: User?
    let nav: [NavItem]

    /// The menu entries of the signed-in person's role.
    static func signedIn(_ session: WebSession, title: String, section: Section) -> Chrome {
        let caller = session.caller
        let unit = caller.unit.flatMap { ReportingUnit.named($0)?.name }
        var items: [(Section, String, String)] = [(.home, "工作台", "/"), (.estates, "小区", "/estates")]
        if Authorization.decide(.poolRead, actor: caller, unit: caller.unit) == .allowed { items.append((.pool, "预选库", "/pool")) }
        if Authorization.decide(.selectionRead, actor: caller, unit: caller.unit) == .allowed { items.append((.selections, "比选", "/selections")) }
        if caller.unit != nil, Authorization.decide(.matchRead, actor: caller, unit: caller.unit) == .allowed { items.append((.matching, "批量匹配", "/matching")) }
        if Authorization.decide(.coverageRead, actor: caller, unit: caller.unit) == .allowed { items.append((.coverage, "覆盖情况", "/coverage")) }
        if caller.unit != nil { items.append((.returns, "季度报表", "/returns")) }
        if !ImportPage.allowedKinds(for: caller).isEmpty { items.append((.imports, "导入", "/imports")) }
        items.append((.audit, "审计", "/audit"))
        if Authorization.decide(.userList, actor: caller, unit: nil) == .allowed { items.append((.users, "用户", "/users")) }
        return Chrome(title: title,
                      user: User(username: caller.username, role: caller.role.label, unit: unit, csrf: session.csrf),
                      nav: items.map { NavItem(label: $0.1, href: $0.2, current: $0.0 == section) })
    }

    static func signedOut(title: String) -> Chrome { Chrome(title: title, user: nil, nav: []) }

    enum Section: Sendable { case home, estates, pool, selections, matching, coverage, returns, imports, audit, users }
}

/// The GOV.UK error summary: one line per problem at the top of a form, each linking to its field;
/// `fields` puts each message beside its field too (`{{#errors.fields.date}}…{{.}}…` in a template).
struct ErrorSummary: Sendable {
    struct Item: Sendable {
        let field: String?
        let message: String
    }

    let items: [Item]
    let fields: [String: String]

    init(items: [Item]) {
        self.items = items
        fields = Dictionary(items.compactMap { i in i.field.map { ($0, i.message) } }, uniquingKeysWith: { first, _ in first })
    }

    init?(_ errors: FormErrors?) {
        guard let errors else { return nil }
        self.init(items: errors.items)
    }

    static func from(_ error: any Error) -> ErrorSummary? { ErrorSummary(FormErrors(error)) }
}

/// An app error that belongs on the form (bad input, a refused rule) rather than on an error page.
struct FormErrors {
    let items: [ErrorSummary.Item]

    init(items: [ErrorSummary.Item]) { self.items = items }

    init?(_ error: any Error) {
        switch error {
        case let app as TuodiApp.AppError:
            switch app {
            case .validation(let fields):
                items = fields.isEmpty ? [.init(field: nil, message: "提交的内容无法读取，请检查后重试")]
                    : fields.map { .init(field: $0.field, message: $0.message) }
            case .conflict(_, let message): items = [.init(field: nil, message: message)]
            default: return nil
            }
        default: return nil
        }
    }
}
