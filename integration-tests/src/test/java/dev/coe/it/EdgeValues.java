package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigInteger;
import java.util.List;

/**
 * JSON values that a field of the wrong type or at its edge may get from a careless or hostile client: null, booleans,
 * numbers out of every range, empty, blank, control-character, zero-width, emoji and 10,000-character strings, arrays
 * and objects, empty or not. The fuzz tests set each field of a request to each of them in turn.
 */
final class EdgeValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EdgeValues() {
    }

    static List<JsonNode> all() {
        return List.of(NODES.nullNode(), NODES.booleanNode(true), NODES.booleanNode(false),
                NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1), NODES.numberNode(2), NODES.numberNode(1.5),
                NODES.numberNode(-1e308), NODES.numberNode(1e308), NODES.numberNode(new BigInteger("1000000000000000000000000000000")),
                NODES.numberNode(Long.MIN_VALUE), NODES.textNode(""), NODES.textNode(" "), NODES.textNode("x"),
                NODES.textNode("auto"), NODES.textNode("\u0000"), NODES.textNode("\u200B"), NODES.textNode("😀".repeat(3)),
                NODES.textNode("a".repeat(10_000)), NODES.arrayNode(), NODES.arrayNode().addNull(), NODES.arrayNode().add(1),
                NODES.arrayNode().add("a"), NODES.objectNode(), NODES.objectNode().put("a", 1), NODES.objectNode().put("type", "text"));
    }
}
