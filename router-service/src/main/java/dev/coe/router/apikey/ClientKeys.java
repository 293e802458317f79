package dev.coe.router.apikey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The client keys as every request sees them: held in memory, so that checking a key, its rate limit and its budget
 * never waits on the database. The database is the shared truth across replicas: {@link #refresh()} (run every few
 * seconds, and at once after a change made here) reloads keys, revocations and the other replicas' usage, and saves
 * this replica's usage as increments. Requests and tokens per minute are counted by {@link KeyRates}: across replicas
 * in Redis when the router has one, else by each replica alone. Thread-safe.
 */
public final class ClientKeys {

    private static final Logger log = LoggerFactory.getLogger(ClientKeys.class);
    static final String KEY_PREFIX = "sk-coe-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClientKeyStore store;
    private final Clock clock;
    private final AtomicReference<Map<String, ClientKey>> byHash = new AtomicReference<>(Map.of());
    private final Map<String, LongAdder> unsaved = new ConcurrentHashMap<>();
    private final KeyRates rates;
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

    ClientKeys(ClientKeyStore store, Clock clock, KeyRates rates) {
        this.store = store;
        this.clock = clock;
        this.rates = rates;
        refresh();
    }

    /** Calls {@code listener} after every key created or revoked here (to tell the other replicas). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /** A new key, shown once in {@link Created#key()}; only its hash is kept. */
    public record Created(ClientKey stored, String key) {
    }

    /** What an operator asks for when creating a key (validated by {@code ClientKeysController}). */
    public record Spec(String name, Set<String> allowedModels, Set<String> allowedCategories, Integer requestsPerMinute,
                       Integer tokensPerMinute, Long tokenBudget, Instant expiresAt) {
    }

    public Created create(Spec spec, String author) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String id = "key_" + HexFormat.of().formatHex(secret, 0, 6);
        ClientKey stored = new ClientKey(id, spec.name(), hash(key), key.substring(0, KEY_PREFIX.length() + 4),
                spec.allowedModels(), spec.allowedCategories(), spec.requestsPerMinute(), spec.tokensPerMinute(), spec.tokenBudget(), 0, author,
                clock.instant(), spec.expiresAt(), null);
        store.insert(stored);
        log.info("client key {} ({}) created by {}", id, spec.name(), author);
        refresh();
        changeListeners.forEach(Runnable::run);
        return new Created(stored, key);
    }

    /**
     * Gives a key new limits, permissions, name or expiry; its secret, id and usage stay. Other replicas hear of it at
     * once, as of a revocation.
     *
     * @return false when there is no such key, or it was revoked
     */
    public boolean update(String id, Spec spec, String author) {
        Optional<ClientKey> current = find(id);
        if (current.isEmpty() || current.get().revoked()) {
            return false;
        }
        ClientKey k = current.get();
        boolean updated = store.update(new ClientKey(k.id(), spec.name(), k.hash(), k.prefix(), spec.allowedModels(),
                spec.allowedCategories(), spec.requestsPerMinute(), spec.tokensPerMinute(), spec.tokenBudget(), k.tokensUsed(),
                k.createdBy(), k.createdAt(), spec.expiresAt(), null));
        if (updated) {
            log.info("client key {} ({}) changed by {}", id, spec.name(), author);
        }
        refresh();
        if (updated) {
            changeListeners.forEach(Runnable::run);
        }
        return updated;
    }

    /** Whether {@code key} has passed its expiry, by this replica's clock. */
    boolean expired(ClientKey key) {
        return key.expired(clock.instant());
    }

    /** @return false when there is no such key, or it was revoked already */
    public boolean revoke(String id, String author) {
        boolean revoked = store.revoke(id, clock.instant());
        if (revoked) {
            log.info("client key {} revoked by {}", id, author);
        }
        refresh();
        if (revoked) {
            changeListeners.forEach(Runnable::run);
        }
        return revoked;
    }

    /** Every key, newest usage included, revoked ones too. */
    public List<ClientKey> all() {
        return byHash.get().values().stream().map(this::withUnsaved)
                .sorted(Comparator.comparing(ClientKey::createdAt).thenComparing(ClientKey::id)).toList();
    }

    public Optional<ClientKey> find(String id) {
        return all().stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /** The valid key whose secret is {@code presented}; empty for an unknown or revoked key. */
    Optional<ClientKey> lookup(String presented) {
        ClientKey key = byHash.get().get(hash(presented));
        return key == null || key.revoked() ? Optional.empty() : Optional.of(withUnsaved(key));
    }

    /** Takes one request from the key's requests per minute; empty when the key has no such limit. */
    Optional<Allowance> takeRequest(ClientKey key) {
        return key.requestsPerMinute() == null ? Optional.empty() : Optional.of(rates.takeRequest(key));
    }

    /** Whether the key has tokens left of its tokens per minute; empty when the key has no such limit. */
    Optional<Allowance> checkTokens(ClientKey key) {
        return key.tokensPerMinute() == null ? Optional.empty() : Optional.of(rates.checkTokens(key));
    }

    /** Records tokens used by the key's request against its budget (saved on the next refresh) and its tokens per minute. */
    void charge(ClientKey key, long tokens) {
        if (tokens > 0) {
            unsaved.computeIfAbsent(key.id(), id -> new LongAdder()).add(tokens);
            if (key.tokensPerMinute() != null) {
                rates.chargeTokens(key, tokens);
            }
        }
    }

    /** Saves this replica's usage and reloads every key; called on a schedule and after each change made here. */
    public synchronized void refresh() {
        for (Map.Entry<String, LongAdder> e : unsaved.entrySet()) {
            long tokens = e.getValue().sumThenReset();
            if (tokens > 0) {
                try {
                    store.addUsage(e.getKey(), tokens);
                } catch (RuntimeException failed) {
                    e.getValue().add(tokens);  // kept for the next try: usage is never lost to a database hiccup
                    log.warn("client keys: could not save usage of {}: {}", e.getKey(), failed.getMessage());
                }
            }
        }
        try {
            byHash.set(store.all().stream().collect(Collectors.toUnmodifiableMap(ClientKey::hash, Function.identity())));
        } catch (RuntimeException failed) {
            log.warn("client keys: could not reload from the database, keeping the last known keys: {}", failed.getMessage());
        }
    }

    private ClientKey withUnsaved(ClientKey k) {
        LongAdder pending = unsaved.get(k.id());
        long extra = pending == null ? 0 : pending.sum();
        return extra == 0 ? k : new ClientKey(k.id(), k.name(), k.hash(), k.prefix(), k.allowedModels(), k.allowedCategories(),
                k.requestsPerMinute(), k.tokensPerMinute(), k.tokenBudget(), k.tokensUsed() + extra, k.createdBy(), k.createdAt(),
                k.expiresAt(), k.revokedAt());
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
