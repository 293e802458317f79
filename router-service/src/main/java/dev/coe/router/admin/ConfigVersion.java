package dev.coe.router.admin;

import java.time.Instant;

/**
 * One immutable version of the routing configuration. Versions are numbered 1, 2, 3, ... in the order they were
 * saved; the live one is the newest that is not a draft.
 *
 * @param number    position in the history, from 1
 * @param config    the whole configuration
 * @param author    the authenticated user who saved it ({@code config/} for the seeded first version)
 * @param createdAt when it was saved
 * @param comment   why, as the author wrote it (may be empty)
 * @param draft     true when saved without being applied
 * @param parent    the live version it was based on (its diff is taken against that one); null for the first
 */
public record ConfigVersion(long number, RoutingConfig config, String author, Instant createdAt, String comment,
                            boolean draft, Long parent) {
}
