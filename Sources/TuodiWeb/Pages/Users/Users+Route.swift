import Hummingbird
import TuodiApp
import TuodiDomain

extension WebApp {
    func registerUsers(on web: RouterGroup<Context>) {
        page(web, "/users") { r in
            views.response(UsersPage(session: r.session, users: try await context.identity.list(by: r.caller),
                                     notice: Notices.text(r.query["done"])))
        }

        form(web, "/users") { r in
            do {
                _ = try await context.identity.create(UsersPage.draft(r.form), by: r.caller)
                return redirect("/users?done=userCreated")
            } catch let error where FormErrors(error) != nil {
                return views.response(UsersPage(session: r.session, users: try await context.identity.list(by: r.caller), form: r.form,
                                                errors: FormErrors(error)), status: .unprocessableContent)
            }
        }

        form(web, "/users/:username/password") { r in
            let username = try r.parameter("username")
            do {
                _ = try await context.identity.resetPassword(username: username, password: r.form.raw("newPassword"), by: r.caller)
                return redirect("/users?done=passwordReset")
            } catch let error where FormErrors(error) != nil {
                let items = FormErrors(error)!.items.map {
                    ErrorSummary.Item(field: $0.field == "password" ? "newPassword-\(username)" : $0.field, message: "\(username)：\($0.message)")
                }
                return views.response(UsersPage(session: r.session, users: try await context.identity.list(by: r.caller),
                                                errors: FormErrors(items: items)), status: .unprocessableContent)
            }
        }

        form(web, "/users/:username/deactivate") { r in
            do {
                _ = try await context.identity.deactivate(username: try r.parameter("username"), reason: r.form["reason"], by: r.caller)
                return redirect("/users?done=userDeactivated")
            } catch let error where FormErrors(error) != nil {
                return views.response(UsersPage(session: r.session, users: try await context.identity.list(by: r.caller),
                                                errors: FormErrors(error)), status: .unprocessableContent)
            }
        }
    }
}
