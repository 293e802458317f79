package dev.coe.router.admin;

import java.time.Instant;
import java.util.List;

/**
 * A version as the admin API shows it in the history: everything but the configuration itself.
 *
 * @param status  {@code live}, {@code draft}, or {@code superseded} (was live, then replaced)
 * @param changes how many fields differ from {@code parent}
 */
record VersionView(long number, String status, String author, Instant createdAt, String comment, Long parent,
                   int changes) {

    static VersionView of(ConfigVersion v, long live, List<ConfigDiff.Change> diff) {
        return new VersionView(v.number(), status(v, live), v.author(), v.createdAt(), v.comment(), v.parent(), diff.size());
    }

    static String status(ConfigVersion v, long live) {
        return v.number() == live ? "live" : v.draft() ? "draft" : "superseded";
    }

    /** One version in full: the summary, the configuration and its diff from the parent. */
    record Detail(long number, String status, String author, Instant createdAt, String comment, Long parent,
                  RoutingConfig config, List<ConfigDiff.Change> diff) {

        static Detail of(ConfigVersion v, long live, List<ConfigDiff.Change> diff) {
            return new Detail(v.number(), VersionView.status(v, live), v.author(), v.createdAt(), v.comment(), v.parent(), v.config(), diff);
        }
    }
}
