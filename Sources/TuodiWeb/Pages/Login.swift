import Foundation
import Hummingbird
import TuodiApp

/// 登录: the form, and what a post does.
struct LoginPage: PageModel {
    static let template = "login"
    let chrome = Chrome.signedOut(title: "登录")
    let csrf: String
    let username: String
    let errors: ErrorSummary?
    let notice: String?
}

extension WebApp {
    func registerLogin(on web: RouterGroup<Context>) {
        web.get("/login") { request, _ in
            if try await session(request) != nil { return redirect("/") }
            let token = CSRF.random()
            let notice = request.uri.queryParameters["out"] != nil ? "您已安全退出。" : nil
            var response = views.response(LoginPage(csrf: token, username: "", errors: nil, notice: notice))
            response.setCookie(cookies.login(token))
            return response
        }

        // Before a session exists the form token is a random value in a cookie that must match
        // the form's copy (double submit): a cross-site page can set neither.
        web.post("/login") { request, context in
            let form = try await readForm(request, context: context)
            guard let expected = request.cookies[SessionCookies.login]?.value, CSRF.matches(form[CSRF.field], expected) else {
                throw CSRFRejected()
            }
            do {
                let issued = try await self.context.identity.login(username: form.raw("username"), password: form.raw("password"))
                var response = redirect("/")
                response.setCookie(cookies.session(issued.token, expires: issued.expiresAt))
                response.setCookie(cookies.cleared(SessionCookies.login, path: "/login"))
                return response
            } catch AppError.unauthenticated(let message) {
                let page = LoginPage(csrf: expected, username: form.raw("username"),
                                     errors: ErrorSummary(items: [.init(field: "username", message: message)]), notice: nil)
                return views.response(page, status: .unauthorized)
            }
        }

        form(web, "/logout") { r in
            try await self.context.identity.logout(token: r.session.token, by: r.caller)
            var response = redirect("/login?out=1")
            response.setCookie(cookies.cleared(SessionCookies.session))
            return response
        }
    }
}
