package dev.coe.router.routing;

import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;
import dev.coe.gateway.ExpertRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides which experts answer a request: by name when the client names an expert, otherwise by
 * classifying the conversation (step one) and looking the category up in the routing table (step two).
 * Thread-safe; the table can be replaced atomically while requests are in flight.
 */
public final class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final CategoryClassifier classifier;
    private final AtomicReference<Live> live;
    private final UnclassifiedWarnings unclassified = new UnclassifiedWarnings(UnclassifiedWarnings.DEFAULT_INTERVAL, System::nanoTime);

    /**
     * The table and the experts it names, swapped together so that no request sees a table with experts of another
     * version. A request reads it once and keeps it: a version applied meanwhile only affects later requests.
     */
    public record Live(RoutingTable table, ExpertRegistry experts) {
    }

    public Router(CategoryClassifier classifier, ExpertRegistry experts, RoutingTable table) {
        this.classifier = classifier;
        this.live = new AtomicReference<>(new Live(table, experts));
    }

    /** The live table and experts, for a request to route on and call from. */
    public Live live() {
        return live.get();
    }

    /** The live table. */
    public RoutingTable table() {
        return live.get().table();
    }

    /** The live experts. */
    public ExpertRegistry experts() {
        return live.get().experts();
    }

    /** Makes {@code next} live for every request routed from now on, with the same experts. */
    public void replaceTable(RoutingTable next) {
        live.updateAndGet(current -> new Live(next, current.experts()));
    }

    /** Makes {@code table} and {@code experts} live together; requests already routed are unaffected. */
    public void replace(RoutingTable table, ExpertRegistry experts) {
        live.set(new Live(table, experts));
    }

    /**
     * Routes on the live version.
     *
     * @return the decision, or empty when {@code model} is neither a router model nor an expert id
     */
    public Optional<RoutingDecision> route(String model, List<Turn> conversation) {
        return route(live.get(), model, conversation);
    }

    /**
     * Routes on {@code on}, which the caller keeps for calling the chosen experts.
     *
     * @return the decision, or empty when {@code model} is neither a router model nor an expert id
     */
    public Optional<RoutingDecision> route(Live on, String model, List<Turn> conversation) {
        long start = System.nanoTime();
        RoutingTable current = on.table();
        if (!current.isRouterModel(model)) {
            return on.experts().findExpert(model).map(expert -> new RoutingDecision(model, RoutingDecision.NO_CATEGORY, 1.0,
                    Map.of(), List.of(expert.id()), RoutingDecision.Reason.DIRECT, System.nanoTime() - start));
        }
        Classification c;
        try {
            c = classifier.classify(conversation);
        } catch (ClassifierBusyException busy) {
            return Optional.of(unclassified(model, current, busy, start));
        }
        RoutingTable.Selection selection = current.select(c);
        return Optional.of(new RoutingDecision(model, c.category(), c.confidence(), c.distribution(), selection.chain(),
                selection.reason(), System.nanoTime() - start, selection.cache()));
    }

    /** Overload: answering from the fallback chain now beats routing well after a growing wait. */
    private RoutingDecision unclassified(String model, RoutingTable table, ClassifierBusyException busy, long start) {
        long count = unclassified.record();
        if (count > 0) {
            log.warn("Classifier overloaded: {} request(s) routed unclassified on the fallback chain since the last"
                    + " warning ({}). More cores, or a longer coe.classifier-max-wait, would classify more of them.",
                    count, busy.getMessage());
        }
        RoutingTable.Selection selection = table.unclassified();
        return new RoutingDecision(model, RoutingDecision.NO_CATEGORY, 0.0, Map.of(), selection.chain(), selection.reason(),
                System.nanoTime() - start, selection.cache());
    }
}
