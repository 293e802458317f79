package dev.coe.router.system;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class AdminPasswordsTest {

    @Test
    void should_keep_a_plain_password_only_as_its_digest() {
        String stored = AdminPasswords.stored("s3cret-from-env");

        assertThat(stored).startsWith(AdminPasswords.DIGEST_ID).doesNotContain("s3cret-from-env");
        assertThat(stored).hasSize(AdminPasswords.DIGEST_ID.length() + 64);
    }

    @Test
    void should_match_the_plain_password_by_its_digest_and_refuse_any_other() {
        String stored = AdminPasswords.stored("s3cret-from-env");
        AdminPasswords passwords = new AdminPasswords(stored);

        assertThat(passwords.matches("s3cret-from-env", stored)).isTrue();
        assertThat(passwords.matches("s3cret-from-en", stored)).isFalse();
        assertThat(passwords.matches("", stored)).isFalse();
        assertThat(passwords.matches(null, stored)).isFalse();
        assertThat(passwords.matches("s3cret-from-env", AdminPasswords.DIGEST_ID + "not-hex")).isFalse();
    }

    @Test
    void should_check_an_already_encoded_password_with_spring_securitys_encoders() {
        String configured = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("hashed-by-operator");
        AdminPasswords passwords = new AdminPasswords(AdminPasswords.stored(configured));

        assertThat(AdminPasswords.stored(configured)).isEqualTo(configured);
        assertThat(passwords.matches("hashed-by-operator", configured)).isTrue();
        assertThat(passwords.matches("something-else", configured)).isFalse();
    }

    @Test
    void should_encode_like_the_stored_password_when_spring_security_checks_an_unknown_user() {
        // Spring Security checks an unknown user name against encode(...) of a dummy password, to take the same time.
        assertThat(new AdminPasswords(AdminPasswords.stored("plain")).encode("dummy")).startsWith(AdminPasswords.DIGEST_ID);
        assertThat(new AdminPasswords(AdminPasswords.stored("{noop}plain")).encode("dummy")).startsWith("{bcrypt}");
    }

    @Test
    void should_never_ask_to_upgrade_a_stored_digest_when_a_login_succeeds() {
        AdminPasswords passwords = new AdminPasswords(AdminPasswords.stored("plain"));

        assertThat(passwords.upgradeEncoding(AdminPasswords.stored("plain"))).isFalse();
        assertThat(passwords.upgradeEncoding("{noop}plain")).isFalse();
    }
}
