package dev.coe.evaluation.run;

import java.util.List;

/** Where conversations are sent: the router's HTTP API ({@link RouterClient}), or a fake in tests. */
@FunctionalInterface
public interface ChatEndpoint {

    /**
     * @param model    {@code auto} to let the router route, or an expert id to call that expert directly
     * @param system   a system message, or null
     * @param messages alternating user and assistant messages, user first and last
     * @throws RouterCallFailedException when no answer came back
     */
    RoutedAnswer chat(String model, String system, List<String> messages);
}
