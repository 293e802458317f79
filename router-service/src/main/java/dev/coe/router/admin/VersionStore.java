package dev.coe.router.admin;

import java.util.List;
import java.util.Optional;

/**
 * Where the versions of the routing configuration are kept: append-only, never updated or deleted. Implementations
 * are thread-safe; {@link JdbcVersionStore} keeps them in H2 (a file under {@code coe.data-dir}) or PostgreSQL.
 */
public interface VersionStore {

    /** Version numbers start at 1; this means "no live version yet". */
    long NONE = 0;

    Optional<ConfigVersion> find(long number);

    /** The newest version that is not a draft; empty before the first one is saved. */
    Optional<ConfigVersion> findLive();

    /** Every version, newest first. */
    List<ConfigVersion> history();

    /**
     * Saves {@code version} under the next number (its own number is ignored).
     *
     * @param expectedLive for a version that is not a draft, the number of the live version the change was based
     *                     on ({@link #NONE} when there is none yet); ignored for drafts
     * @throws StaleVersionException when the live version is no longer {@code expectedLive}, or another process saved
     *                               a version at the same moment
     */
    ConfigVersion append(ConfigVersion version, long expectedLive);

    /** Thrown when a change was based on a version that is no longer live. */
    final class StaleVersionException extends RuntimeException {
        private final long live;

        public StaleVersionException(long expected, long live) {
            super("the change was based on version " + expected + ", but version " + live + " is live now");
            this.live = live;
        }

        public long live() {
            return live;
        }
    }
}
