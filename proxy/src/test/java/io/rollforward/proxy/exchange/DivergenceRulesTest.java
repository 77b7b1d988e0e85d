package io.rollforward.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.rollforward.config.DivergenceConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The divergence rules on pairs of replies: headers that count, blanked body parts, the first differing offset. */
class DivergenceRulesTest {
    private static final DivergenceConfig TS = new DivergenceConfig(List.of(), List.of("\"ts\":[0-9]+"),
            DivergenceConfig.OnWrite.LOG);

    private static DivergenceRules.BodyDifference compare(DivergenceConfig config, long max, String a, String b) {
        ByteBuf x = Unpooled.copiedBuffer(a, StandardCharsets.ISO_8859_1);
        ByteBuf y = Unpooled.copiedBuffer(b, StandardCharsets.ISO_8859_1);
        try {
            return new DivergenceRules(config, max).compareBodies(x, crc(a), y, crc(b));
        } finally {
            x.release();
            y.release();
        }
    }

    private static long crc(String s) {
        CRC32C c = new CRC32C();
        c.update(s.getBytes(StandardCharsets.ISO_8859_1));
        return c.getValue();
    }

    /** Both bodies through the samples an exchange keeps (in 1000-byte pieces), then compared. */
    private static DivergenceRules.BodyDifference compareSampled(DivergenceConfig config, long max, String a, String b) {
        DivergenceRules rules = new DivergenceRules(config, max);
        BodySample x = sampled(rules, a);
        BodySample y = sampled(rules, b);
        return rules.compareBodies(x.body(), crc(a), y.body(), crc(b));
    }

    private static BodySample sampled(DivergenceRules rules, String body) {
        BodySample sample = new BodySample(rules.sampleLimit(), rules.samplesPrefix());
        sample.expect(body.length());
        for (int from = 0; from < body.length(); from += 1000) {
            ByteBuf piece = Unpooled.copiedBuffer(body.substring(from, Math.min(body.length(), from + 1000)),
                    StandardCharsets.ISO_8859_1);
            sample.add(piece);
            piece.release();
        }
        return sample;
    }

    @Test
    void withoutRulesOnlyTheFirstBytesAreKeptAndADifferenceThereIsNamedExactly() {
        String a = "x".repeat(10_000);
        String early = a.substring(0, 100) + "y" + a.substring(101);
        String late = a.substring(0, 6000) + "y" + a.substring(6001);
        DivergenceRules rules = new DivergenceRules(DivergenceConfig.DEFAULT, 64 * 1024);
        assertThat(rules.samplesPrefix()).isTrue();
        assertThat(rules.sampleLimit()).isEqualTo(DivergenceRules.EXCERPT_WINDOW);
        assertThat(sampled(rules, a).body().readableBytes()).isEqualTo(DivergenceRules.EXCERPT_WINDOW);

        assertThat(compareSampled(DivergenceConfig.DEFAULT, 64 * 1024, a, a)).isNull();
        assertThat(compareSampled(DivergenceConfig.DEFAULT, 64 * 1024, a, early).offset()).isEqualTo(100);
        DivergenceRules.BodyDifference beyond = compareSampled(DivergenceConfig.DEFAULT, 64 * 1024, a, late);
        assertThat(beyond.offset()).isEqualTo(-1);
        assertThat(beyond.describe(true)).isEqualTo("body crc32c " + Long.toHexString(crc(a)) + " (the first 4096 bytes the same)");
        assertThat(beyond.describe(false)).isEqualTo("body crc32c " + Long.toHexString(crc(late)));
    }

    @Test
    void withRulesWholeBodiesUpToMaxCompareBodyAreKept() {
        DivergenceRules rules = new DivergenceRules(TS, 64 * 1024);
        assertThat(rules.samplesPrefix()).isFalse();
        assertThat(rules.sampleLimit()).isEqualTo(64 * 1024);
        String a = "{\"ts\":1,\"pad\":\"" + "p".repeat(9000) + "\"}";
        assertThat(sampled(rules, a).body().readableBytes()).isEqualTo(a.length());
        assertThat(compareSampled(TS, 64 * 1024, a, a.replace("\"ts\":1", "\"ts\":2"))).isNull();
    }

    @Test
    void aTimestampBlankedByARuleIsNoDifference() {
        assertThat(compare(TS, 1024, "{\"ts\":1700000000123,\"n\":1}", "{\"ts\":1700000000999,\"n\":1}")).isNull();
    }

    @Test
    void withoutTheRuleTheFirstDifferingOffsetAndExcerptsAreNamed() {
        DivergenceRules.BodyDifference d = compare(DivergenceConfig.DEFAULT, 1024,
                "{\"ts\":1700000000123,\"n\":1}", "{\"ts\":1700000000999,\"n\":1}");
        assertThat(d.offset()).isEqualTo(16);
        assertThat(d.describe(true)).isEqualTo("body differs at offset 16: \"...00000000123,\\\"n\\\":1}\"");
        assertThat(d.describe(false)).isEqualTo("has \"...00000000999,\\\"n\\\":1}\"");
    }

    @Test
    void whatTheRuleLeavesIsStillCompared() {
        DivergenceRules.BodyDifference d = compare(TS, 1024, "{\"ts\":1,\"n\":1}", "{\"ts\":2,\"n\":2}");
        assertThat(d.offset()).as("offset in the blanked body {,\"n\":1}").isEqualTo(6);
    }

    @Test
    void bodiesLargerThanMaxCompareBodyAreComparedByCrcOnly() {
        DivergenceRules.BodyDifference d = compare(TS, 8, "{\"ts\":1,\"n\":1}", "{\"ts\":2,\"n\":1}");
        assertThat(d.offset()).isEqualTo(-1);
        assertThat(d.describe(true)).startsWith("body crc32c ");
        assertThat(compare(TS, 8, "same but long", "same but long")).isNull();
    }

    @Test
    void aShorterBodyDiffersWhereItEnds() {
        assertThat(compare(DivergenceConfig.DEFAULT, 1024, "abc", "abcd").offset()).isEqualTo(3);
    }

    @Test
    void onlyTheListedHeadersCount() {
        HttpHeaders a = new DefaultHttpHeaders().add("Content-Type", "text/plain").add("Date", "Mon");
        HttpHeaders b = new DefaultHttpHeaders().add("content-type", "text/html").add("Date", "Tue");
        DivergenceRules none = new DivergenceRules(DivergenceConfig.DEFAULT, 1024);
        assertThat(none.differingHeader(a, b, true)).isNull();
        DivergenceRules contentType = new DivergenceRules(new DivergenceConfig(List.of("Content-Type"), List.of(),
                DivergenceConfig.OnWrite.LOG), 1024);
        assertThat(contentType.differingHeader(a, b, true)).isEqualTo("Content-Type: text/plain");
        assertThat(contentType.differingHeader(a, b, false)).isEqualTo("Content-Type: text/html");
    }

    @Test
    void excerptsEscapeWhatIsNotPrintable() {
        assertThat(DivergenceRules.excerpt("a\u0001\"b", 0)).isEqualTo("\"a\\x01\\\"b\"");
    }
}
