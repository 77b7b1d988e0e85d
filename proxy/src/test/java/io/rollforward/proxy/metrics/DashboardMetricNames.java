package io.rollforward.proxy.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a Grafana dashboard queries: every PromQL {@code expr} of every panel target
 * (rows' nested panels too) and every query template variable, reduced to the bare series names
 * ({@code rollforward_requests_total}, {@code rollforward_replica_latency_seconds_bucket},
 * {@code jvm_memory_used_bytes}, ...). Used to check a dashboard against a scrape, of a
 * {@link ProxyMetrics} in a unit test or of the running proxy.
 *
 * <p>This is not a PromQL parser: it strips string literals, label matchers, range and subquery
 * selectors, grouping clauses and Grafana variables, then keeps the identifiers that are not
 * followed by {@code (} (functions, aggregations) and are not keywords. That covers what a
 * dashboard holds.
 */
public final class DashboardMetricNames {
    /** The project's dashboard, relative to the proxy module (where Maven runs its tests). */
    public static final Path ROLLFORWARD_DASHBOARD = Path.of("..", "grafana", "dashboards", "rollforward.json");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2", "start", "end");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern GRAFANA_LABEL_VALUES =
            Pattern.compile("\\blabel_values\\s*\\(\\s*([^,()]*(?:\\{[^}]*\\})?)\\s*(,[^)]*)?\\)");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*\\}|\\$\\w+|\\[\\[\\w+\\]\\]");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern DURATION_OR_NUMBER = Pattern.compile("\\b\\d[\\w.]*");

    private DashboardMetricNames() {}

    /** Every PromQL expression of {@code dashboard}: panel targets' {@code expr}, query variables' query. */
    public static List<String> expressions(Path dashboard) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(dashboard.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard " + dashboard, e);
        }
        List<String> expressions = new ArrayList<>();
        collectPanels(root.path("panels"), expressions);
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText() : query.asText();
                if (!text.isBlank()) {
                    expressions.add(text);
                }
            }
        }
        return expressions;
    }

    private static void collectPanels(JsonNode panels, List<String> expressions) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                if (!expr.isBlank()) {
                    expressions.add(expr);
                }
            }
            collectPanels(panel.path("panels"), expressions);
        }
    }

    /** Every metric name queried by {@code dashboard}. */
    public static Set<String> metricNames(Path dashboard) {
        Set<String> names = new TreeSet<>();
        expressions(dashboard).forEach(expr -> names.addAll(metricNames(expr)));
        return names;
    }

    /** The metric names in one PromQL expression (or Grafana {@code label_values(...)} query). */
    public static Set<String> metricNames(String promql) {
        String text = STRING.matcher(promql).replaceAll(" ");
        text = GRAFANA_LABEL_VALUES.matcher(text).replaceAll(m -> m.group(2) == null ? " " : Matcher.quoteReplacement(m.group(1)));
        text = MATCHERS.matcher(text).replaceAll(" ");
        text = RANGE.matcher(text).replaceAll(" ");
        text = GROUPING.matcher(text).replaceAll(" ");
        text = VARIABLE.matcher(text).replaceAll(" ");
        text = DURATION_OR_NUMBER.matcher(text).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String name = identifier.group();
            int next = identifier.end();
            while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            boolean isCall = next < text.length() && text.charAt(next) == '(';
            if (!isCall && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The names {@code dashboard} queries that {@code scrape} does not have. A histogram's
     * {@code _bucket}, {@code _count} and {@code _sum} count as present when the scrape has the
     * histogram family.
     */
    public static Set<String> missingFrom(Path dashboard, PrometheusScrape scrape) {
        Set<String> missing = new TreeSet<>();
        for (String name : metricNames(dashboard)) {
            if (!covers(scrape, name)) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static boolean covers(PrometheusScrape scrape, String name) {
        if (scrape.names().contains(name)) {
            return true;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                String type = scrape.type(family);
                return "histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket");
            }
        }
        return false;
    }
}
