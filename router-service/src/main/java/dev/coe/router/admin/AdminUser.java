package dev.coe.router.admin;

import java.security.Principal;

/** The author recorded on a version: the authenticated user. */
final class AdminUser {

    /** Recorded when no one is authenticated, which only a test without security can cause. */
    static final String ANONYMOUS = "anonymous";

    private AdminUser() {
    }

    static String name(Principal user) {
        return user == null ? ANONYMOUS : user.getName();
    }
}
