package io.rollforward.proxy.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /groups/{name}/weight}: the weight is the body ({@code 0}, or {@code {"weight": 0}})
 * or the query parameter {@code ?weight=0}. 0 quiesces the group.
 */
final class GroupWeightCall {
    private static final String PREFIX = "/groups/";
    private static final String SUFFIX = "/weight";
    private static final Pattern JSON_WEIGHT = Pattern.compile("\\{\\s*\"weight\"\\s*:\\s*(\\d{1,9})\\s*}");
    private static final Pattern PLAIN = Pattern.compile("\\d{1,9}");

    private GroupWeightCall() {
    }

    /** The group of {@code /groups/{name}/weight}, or null for any other path. */
    static String target(String path) {
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
            return null;
        }
        String name = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        return name.indexOf('/') >= 0 ? null : QueryStringDecoder.decodeComponent(name);
    }

    static CompletionStage<AdminResult> run(AdminActions actions, String group, FullHttpRequest request) {
        Integer weight = weight(request);
        if (weight == null) {
            return CompletableFuture.completedFuture(AdminResult.badRequest(
                    "expected a weight >= 0 as the body (0 or {\"weight\": 0}) or as ?weight=0"));
        }
        return actions.groupWeight(group, weight);
    }

    private static Integer weight(FullHttpRequest request) {
        List<String> query = new QueryStringDecoder(request.uri()).parameters().get("weight");
        String text = query != null && !query.isEmpty() ? query.get(0).strip()
                : request.content().toString(StandardCharsets.UTF_8).strip();
        if (PLAIN.matcher(text).matches()) {
            return Integer.parseInt(text);
        }
        Matcher json = JSON_WEIGHT.matcher(text);
        return json.matches() ? Integer.parseInt(json.group(1)) : null;
    }
}
