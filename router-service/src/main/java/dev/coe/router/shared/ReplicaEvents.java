package dev.coe.router.shared;

/**
 * Notices between router replicas that something shared changed (a routing version applied, a client key revoked),
 * so that the others reload it at once instead of at their next poll. Best effort: a lost notice only delays the
 * change until the poll. Thread-safe.
 */
public interface ReplicaEvents {

    /** Tells every replica (this one included) that {@code topic} changed. Never blocks, never throws. */
    void publish(String topic);

    /** Runs {@code onChange} (on a background thread) whenever some replica publishes {@code topic}. */
    void subscribe(String topic, Runnable onChange);

    /** A router alone: nothing to tell. */
    ReplicaEvents NONE = new ReplicaEvents() {
        @Override
        public void publish(String topic) {
        }

        @Override
        public void subscribe(String topic, Runnable onChange) {
        }
    };
}
