package io.rollforward.config.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known key an unknown one was probably meant to be: {@code stager} -> {@code stagger},
 * {@code per_request_timeout} -> {@code per-request-timeout}. Compares by Levenshtein distance
 * after folding case and {@code _} to {@code -}; a key is suggested only when it is close enough
 * that the suggestion is more help than noise.
 */
final class KeySuggestion {
    private KeySuggestion() {
    }

    static Optional<String> closest(String unknown, Collection<String> known) {
        String typed = fold(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(typed, fold(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        // One edit for short keys ("node" vs "mode"), two for longer ones ("timout", "stager").
        int allowed = best.length() <= 4 ? 1 : 2;
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    private static String fold(String key) {
        return key.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Classic two-row Levenshtein: insert, delete and substitute each cost 1. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
