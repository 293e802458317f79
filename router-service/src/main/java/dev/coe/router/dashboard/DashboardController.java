package dev.coe.router.dashboard;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

import java.security.Principal;

/**
 * The dashboard's page at {@code /admin} (static files under {@code static/admin/}), and what its script needs to
 * know about the session. Both sit behind the admin security chain: a browser that is not logged in lands on the
 * login page.
 */
@Controller
class DashboardController {

    /** The page's CSRF token comes from here rather than from a cookie, so the security config stays as it is. */
    record Session(String username, Csrf csrf) {
    }

    /**
     * @param headerName where to send the token on a mutating call ({@code X-CSRF-TOKEN})
     * @param token      the token, masked afresh on every read (BREACH protection); any of them is accepted
     */
    record Csrf(String headerName, String token) {
    }

    @GetMapping({"/admin", "/admin/"})
    String page() {
        return "forward:/admin/index.html";
    }

    @GetMapping("/admin/api/session")
    @ResponseBody
    Session session(Principal user, CsrfToken csrf) {
        return new Session(user.getName(), new Csrf(csrf.getHeaderName(), csrf.getToken()));
    }
}
