package dev.coe.router.routing;

import java.time.Duration;

/**
 * A classification given up because the classifier's threads were all busy for longer than its wait limit: the
 * router is asked to classify more than its cores carry. {@link Router} routes such a request on the fallback chain
 * rather than let the backlog grow; see {@link OffCarrierClassifier}. Carries no stack trace: it is an expected
 * outcome under overload, thrown often there.
 */
public final class ClassifierBusyException extends RuntimeException {

    private ClassifierBusyException(String message) {
        super(message, null, false, false);
    }

    /**
     * Refused before queueing: the tasks ahead would have kept it waiting about {@code foreseen}.
     *
     * @param standing how long the queue has not been empty (beyond the long limit, the short one applies)
     */
    static ClassifierBusyException foreseen(Duration foreseen, Duration limit, int ahead, Duration standing) {
        return new ClassifierBusyException("classification would wait about " + foreseen.toMillis() + " ms for a thread ("
                + ahead + " queued ahead), over the " + limit.toMillis() + " ms limit (the queue has not been empty for "
                + standing.toMillis() + " ms): every classifier thread is busy");
    }

    /** Refused when a thread took it: it had waited {@code waited}. */
    static ClassifierBusyException waited(Duration waited, Duration limit) {
        return new ClassifierBusyException("classification did not start within " + limit.toMillis() + " ms (waited "
                + waited.toMillis() + " ms): every classifier thread was busy");
    }
}
