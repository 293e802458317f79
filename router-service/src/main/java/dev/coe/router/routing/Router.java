package dev.coe.router.routing;

import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;
import dev.coe.gateway.ExpertRegistry;

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

    private final CategoryClassifier classifier;
    private final ExpertRegistry experts;
    private final AtomicReference<RoutingTable> table;

    public Router(CategoryClassifier classifier, ExpertRegistry experts, RoutingTable table) {
        this.classifier = classifier;
        this.experts = experts;
        this.table = new AtomicReference<>(table);
    }

    /**
     * The live table. A request reads it once, in {@link #route}, and keeps the chain it got there, so a table
     * swapped in meanwhile only affects the requests that start after it.
     */
    public RoutingTable table() {
        return table.get();
    }

    /** Makes {@code next} live for every request routed from now on; requests already routed are unaffected. */
    public void replaceTable(RoutingTable next) {
        table.set(next);
    }

    /**
     * @return the decision, or empty when {@code model} is neither a router model nor an expert id
     */
    public Optional<RoutingDecision> route(String model, List<Turn> conversation) {
        long start = System.nanoTime();
        RoutingTable current = table.get();
        if (!current.isRouterModel(model)) {
            return experts.findExpert(model).map(expert -> new RoutingDecision(model, RoutingDecision.NO_CATEGORY, 1.0,
                    Map.of(), List.of(expert.id()), RoutingDecision.Reason.DIRECT, System.nanoTime() - start));
        }
        Classification c = classifier.classify(conversation);
        RoutingTable.Selection selection = current.select(c.category(), c.confidence());
        return Optional.of(new RoutingDecision(model, c.category(), c.confidence(), c.distribution(), selection.chain(),
                selection.reason(), System.nanoTime() - start));
    }
}
