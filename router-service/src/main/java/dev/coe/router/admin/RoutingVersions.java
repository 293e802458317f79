package dev.coe.router.admin;

import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.router.expert.ExpertCatalog;
import dev.coe.router.expert.ExpertFleet;
import dev.coe.router.routing.Router;
import dev.coe.router.routing.RoutingTable;
import dev.coe.router.routing.RoutingTableLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The versioned routing configuration: validates every change, saves it as a new immutable version and, unless it is
 * a draft, swaps the router's live table and experts to it at once. Thread-safe: changes are serialised, so a version
 * is never live in the store without being live in the router; requests already routed keep the table and experts
 * they started with.
 *
 * <p>Throws {@link AdminException.InvalidConfig} (422) for a change that breaks a rule, {@link AdminException.Conflict}
 * (409) for a change based on a version that is no longer live, {@link AdminException.PreconditionRequired} (428)
 * for a change of the live configuration without {@code If-Match}, {@link AdminException.NotFound} (404).
 */
final class RoutingVersions {

    private static final Logger log = LoggerFactory.getLogger(RoutingVersions.class);

    /** Author recorded for the version seeded from {@code config/} at first start. */
    static final String SEED_AUTHOR = "config/";
    static final int MAX_COMMENT_LENGTH = 2000;

    private final VersionStore store;
    private final Router router;
    private final ExpertFleet fleet;
    private final ConfigValidator validator;
    private final Set<String> taxonomy;
    private final Clock clock;
    private final ReentrantLock changes = new ReentrantLock();
    private final List<LongConsumer> appliedListeners = new CopyOnWriteArrayList<>();
    /** The version live in this router; another replica may have made a newer one live in the shared store. */
    private volatile long active = VersionStore.NONE;

    /**
     * @param fleet builds the experts of a version that defines them; a version saved before experts were versioned
     *              keeps the experts the router has, which must then be the ones it started with
     */
    RoutingVersions(VersionStore store, Router router, ExpertFleet fleet, List<String> taxonomy, Clock clock) {
        this.store = store;
        this.router = router;
        this.fleet = fleet;
        this.validator = new ConfigValidator(router.experts().all().stream().map(e -> e.id().value()).collect(Collectors.toSet()),
                taxonomy);
        this.taxonomy = Set.copyOf(taxonomy);
        this.clock = clock;
    }

    /**
     * Makes the stored live version live in the router, or saves {@code seed} as version 1 when the store is empty.
     * When the files of {@code config/} changed since they were last imported ({@code seed} differs from the newest
     * version authored by {@value #SEED_AUTHOR}), {@code seed} is imported as a new live version: an operator who edits
     * the files and restarts gets what the files say, and whatever was changed through the admin API in between
     * stays in the history, one rollback away.
     *
     * @throws IllegalStateException when the stored live version no longer fits {@code experts.yaml} or the taxonomy
     */
    void start(RoutingConfig seed) {
        changes.lock();
        try {
            ConfigVersion live = store.findLive().orElse(null);
            if (live == null) {
                save(seed, SEED_AUTHOR, "seeded from config/routing.yaml and config/categories.yaml", false,
                        VersionStore.NONE);
                log.info("admin: seeded routing version 1 from config/");
                return;
            }
            ConfigVersion lastImport = store.history().stream().filter(v -> SEED_AUTHOR.equals(v.author()))
                    .max(Comparator.comparingLong(ConfigVersion::number)).orElse(null);
            if (lastImport != null && !lastImport.config().equals(seed)) {
                ConfigVersion imported = save(seed, SEED_AUTHOR, "imported from config/ at start: the files changed since version "
                        + lastImport.number(), false, live.number());
                if (live.number() != lastImport.number()) {
                    log.warn("admin: config/ changed since version {}; imported it as live version {}, replacing version {} "
                            + "(by {}); roll back to version {} to restore it", lastImport.number(), imported.number(),
                            live.number(), live.author(), live.number());
                } else {
                    log.info("admin: config/ changed since version {}; imported it as live version {}", lastImport.number(),
                            imported.number());
                }
                return;
            }
            List<FieldError> errors = validator.validate(live.config());
            if (!errors.isEmpty()) {
                throw new IllegalStateException("live routing version " + live.number() + " does not fit experts.yaml or "
                        + "categories.yaml any more: " + errors + "; restore the missing experts or categories");
            }
            activate(live.config(), compile(live.config()));
            active = live.number();
            log.info("admin: routing version {} is live (by {} at {})", live.number(), live.author(), live.createdAt());
        } finally {
            changes.unlock();
        }
    }

    /** Calls {@code listener} with the number of every version this router makes live (to tell the other replicas). */
    void onApplied(LongConsumer listener) {
        appliedListeners.add(listener);
    }

    /**
     * Makes the store's live version live here when another replica changed it: called when a replica announces a
     * change, and on a schedule as the safety net for a missed announcement. Cheap when nothing changed.
     *
     * @return whether this router switched to another version
     */
    boolean syncLive() {
        ConfigVersion live = store.findLive().orElse(null);
        if (live == null || live.number() == active) {
            return false;
        }
        changes.lock();
        try {
            live = live();
            if (live.number() == active) {
                return false;
            }
            List<FieldError> errors = validator.validate(live.config());
            if (!errors.isEmpty()) {
                log.error("admin: routing version {} made live by another replica does not fit this router ({}); keeping "
                        + "version {}", live.number(), errors, active);
                active = live.number();  // reported once, not on every poll
                return false;
            }
            activate(live.config(), compile(live.config()));
            active = live.number();
            log.info("admin: routing version {} (by {}) made live by another replica is live here too", live.number(), live.author());
            return true;
        } finally {
            changes.unlock();
        }
    }

    ConfigVersion live() {
        return store.findLive().orElseThrow(() -> new IllegalStateException("no live routing version; start() seeds one"));
    }

    ConfigVersion version(long number) {
        return store.find(number).orElseThrow(() -> new AdminException.NotFound("no routing version " + number));
    }

    List<ConfigVersion> history() {
        return store.history();
    }

    /** The changes from the version's parent (everything, for the first version). */
    List<ConfigDiff.Change> diff(ConfigVersion version) {
        return ConfigDiff.between(version.parent() == null ? null : version(version.parent()).config(), version.config());
    }

    /** Changes the live configuration with {@code change} and applies the result as a new version. */
    ConfigVersion edit(String author, String comment, String ifMatch, UnaryOperator<RoutingConfig> change) {
        changes.lock();
        try {
            ConfigVersion live = checkIfMatch(ifMatch);
            return save(change.apply(live.config()), author, comment, false, live.number());
        } finally {
            changes.unlock();
        }
    }

    /**
     * Saves a whole configuration: applied at once, or as a draft. A draft leaves the live version alone, so it needs
     * no {@code If-Match}; when one is sent it is still checked.
     */
    ConfigVersion submit(RoutingConfig config, String author, String comment, boolean draft, String ifMatch) {
        changes.lock();
        try {
            ConfigVersion live = draft && ifMatch == null ? live() : checkIfMatch(ifMatch);
            return save(config, author, comment, draft, live.number());
        } finally {
            changes.unlock();
        }
    }

    /**
     * Makes the configuration of version {@code number} live again as a new version: applying a draft, or rolling
     * back to an older version. The history is never rewritten.
     */
    ConfigVersion apply(long number, String author, String comment, String ifMatch) {
        changes.lock();
        try {
            ConfigVersion source = version(number);
            ConfigVersion live = checkIfMatch(ifMatch);
            String why = (source.draft() ? "apply draft " : "roll back to version ") + number;
            return save(source.config(), author, comment == null || comment.isBlank() ? why : why + ": " + comment,
                    false, live.number());
        } finally {
            changes.unlock();
        }
    }

    /** The router's table for {@code config}, through the same loader as {@code config/routing.yaml}. */
    RoutingTable compile(RoutingConfig config) {
        return RoutingTableLoader.parse(RoutingYaml.writeRouting(config, null),
                config.experts().stream().map(ExpertId::of).collect(Collectors.toSet()), taxonomy);
    }

    private void activate(RoutingConfig config, RoutingTable table) {
        router.replace(table, experts(config));
    }

    /** The experts {@code config} defines, reusing the live ones that did not change; the live ones when it defines none. */
    private ExpertRegistry experts(RoutingConfig config) {
        if (config.expertDefinitions() == null) {
            return router.experts();
        }
        try {
            return fleet.build(ExpertCatalog.configs(config.expertDefinitions()), router.experts());
        } catch (IllegalArgumentException invalid) {
            throw AdminException.InvalidConfig.of("expertDefinitions", "invalid_expert", invalid.getMessage());
        }
    }

    List<FieldError> validate(RoutingConfig config) {
        return validator.validate(config);
    }

    private ConfigVersion save(RoutingConfig submitted, String author, String comment, boolean draft, long basedOn) {
        // A configuration without expert definitions (an older version rolled back to, or a client that leaves them
        // out) keeps the experts of the version it is based on.
        RoutingConfig config = submitted.expertDefinitions() == null && basedOn != VersionStore.NONE
                ? submitted.withExpertDefinitions(version(basedOn).config().expertDefinitions()) : submitted;
        String text = comment == null ? "" : comment.strip();
        if (text.length() > MAX_COMMENT_LENGTH) {
            throw AdminException.InvalidConfig.of("comment", "too_long",
                    "comment must be at most " + MAX_COMMENT_LENGTH + " characters, but was " + text.length());
        }
        List<FieldError> errors = validator.validate(config);
        if (!errors.isEmpty()) {
            throw new AdminException.InvalidConfig(errors);
        }
        RoutingTable table = compile(config);
        // Built before saving: an expert that cannot be created must not leave a live version the router lacks.
        ExpertRegistry experts = draft ? null : experts(config);
        ConfigVersion saved;
        try {
            saved = store.append(new ConfigVersion(0, config, author, clock.instant(), text, draft,
                    basedOn == VersionStore.NONE ? null : basedOn), basedOn);
        } catch (VersionStore.StaleVersionException stale) {
            throw new AdminException.Conflict(stale.getMessage() + "; GET it, redo the change and send its ETag", stale.live());
        }
        if (!draft) {
            router.replace(table, experts);
            long number = saved.number();
            active = number;
            appliedListeners.forEach(listener -> listener.accept(number));
            log.info("admin: routing version {} by {} is live: {}", saved.number(), author, text);
        }
        return saved;
    }

    private ConfigVersion checkIfMatch(String ifMatch) {
        ConfigVersion live = live();
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new AdminException.PreconditionRequired();
        }
        if (ifMatch.strip().equals("*")) {
            return live;
        }
        for (String tag : ifMatch.split(",")) {
            if (tag.strip().equals(etag(live.number())) || tag.strip().equals("W/" + etag(live.number()))) {
                return live;
            }
        }
        throw new AdminException.Conflict("If-Match " + ifMatch.strip() + " is not the live version " + etag(live.number())
                + "; GET /admin/api/config, redo the change and send its ETag", live.number());
    }

    /** The strong entity tag of a version: its number, quoted. */
    static String etag(long number) {
        return "\"" + number + "\"";
    }
}
