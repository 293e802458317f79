package dev.coe.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loose reading of PromQL, enough to find what a dashboard query refers to: its metric names and its exact label
 * matchers. Not a parser: it strips strings, label sets, ranges, groupings and Grafana variables, and calls every
 * identifier left that is not a function or a keyword a metric. Stateless.
 */
final class PromQl {

    /** One {@code label="value"} matcher on a metric's series. */
    record ExactMatcher(String metric, String label, String value) {
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_SET = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    // Not after a digit or a dot, so that the exponent of 1e3 is no identifier; not before "(", so no function.
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

    private PromQl() {
    }

    /** The metric names {@code expr} selects, e.g. {@code coe_router_requests_total} in {@code sum(rate(coe_router_requests_total[1m]))}. */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = LABEL_SET.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = VARIABLE.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group().toLowerCase())) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The {@code label="value"} matchers of {@code expr} ({@code =} only: {@code !=} and regexes select no one value). */
    static List<ExactMatcher> exactMatchers(String expr) {
        List<ExactMatcher> matchers = new ArrayList<>();
        Matcher selector = SELECTOR.matcher(expr);
        while (selector.find()) {
            Matcher m = MATCHER.matcher(selector.group(2));
            while (m.find()) {
                if (m.group(2).equals("=")) {
                    matchers.add(new ExactMatcher(selector.group(1), m.group(1), m.group(3)));
                }
            }
        }
        return matchers;
    }
}
