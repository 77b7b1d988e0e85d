package io.rollforward.proxy.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A parsed Prometheus text-format (0.0.4) scrape: samples {@code name{labels} value}, and the
 * {@code # HELP} / {@code # TYPE} lines. Just enough of the format for tests: no timestamps,
 * no exemplars. Reusable against a live scrape of the running proxy.
 */
public final class PrometheusScrape {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;
    private final Map<String, String> help;
    private final Map<String, String> types;

    private PrometheusScrape(List<Sample> samples, Map<String, String> help, Map<String, String> types) {
        this.samples = samples;
        this.help = help;
        this.types = types;
    }

    /** Parses {@code text}; a line it cannot read fails with the line number and the line. */
    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("# HELP ")) {
                    String[] parts = line.substring(7).split(" ", 2);
                    help.put(parts[0], parts.length > 1 ? parts[1] : "");
                } else if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ", 2);
                    types.put(parts[0], parts[1]);
                } else if (!line.startsWith("#")) {
                    samples.add(sample(line));
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + line + " (" + e.getMessage() + ")", e);
            }
        }
        return new PrometheusScrape(List.copyOf(samples), help, types);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new TreeMap<>();
        String name;
        String rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // skip ="
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = line.substring(i + 1).strip();
        } else {
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        }
        String number = rest.split(" ")[0];
        return new Sample(name, Collections.unmodifiableMap(labels), parseValue(number));
    }

    private static double parseValue(String number) {
        return switch (number) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(number);
        };
    }

    /** Every sample. */
    public List<Sample> samples() {
        return samples;
    }

    /** Names of samples and of families ({@code # TYPE}), e.g. both {@code x_seconds} and {@code x_seconds_bucket}. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(types.keySet());
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The help text of a family, or null. */
    public String help(String family) {
        return help.get(family);
    }

    /** The type of a family ({@code counter}, {@code gauge}, {@code histogram}, ...), or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** Families named in {@code # TYPE} lines. */
    public Set<String> families() {
        return types.keySet();
    }

    /**
     * The value of the one sample named {@code name} whose labels include {@code labels}
     * (given as key, value, key, value ...). Fails unless exactly one sample matches.
     */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + List.of(labels) + ", found " + found);
        }
        return found.get(0).value();
    }

    /** The samples named {@code name} whose labels include {@code labels} (key, value, ...). */
    public List<Sample> find(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in key, value pairs: " + List.of(labels));
        }
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (!sample.name().equals(name)) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < labels.length && match; i += 2) {
                match = labels[i + 1].equals(sample.labels().get(labels[i]));
            }
            if (match) {
                found.add(sample);
            }
        }
        return found;
    }
}
